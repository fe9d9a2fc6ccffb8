// First: tracing must be running before anything else loads.
import './instrumentation';
import { exitOnStartFailure } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadApiGatewayConfig } from './config/api-gateway.config';
import { startGateway } from './start-gateway';

async function main(): Promise<void> {
  const config = loadApiGatewayConfig();
  await startGateway(AppModule.register(config), config, {
    serviceName: 'api-gateway',
    description: 'The one public entry: access tokens, rate limits, routing to the services.',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
  });
}

main().catch(exitOnStartFailure);
