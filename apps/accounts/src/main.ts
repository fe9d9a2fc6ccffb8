// First: tracing must be running before anything else loads.
import './instrumentation';
import { exitOnStartFailure, startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadAccountsConfig } from './config/accounts.config';

async function main(): Promise<void> {
  const config = loadAccountsConfig();
  await startService(AppModule.register(config), {
    serviceName: 'accounts',
    description: 'Accounts: who may schedule deliveries (internal API).',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
  });
}

main().catch(exitOnStartFailure);
