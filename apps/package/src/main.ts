// First: tracing must be running before anything else loads.
import './instrumentation';
import { exitOnStartFailure, startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadPackageConfig } from './config/package.config';

async function main(): Promise<void> {
  const config = loadPackageConfig();
  await startService(AppModule.register(config), {
    serviceName: 'package',
    description: 'Package: the packages of scheduled deliveries (internal API).',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
  });
}

main().catch(exitOnStartFailure);
