// First: tracing must be running before anything else loads.
import './instrumentation';
import { exitOnStartFailure, startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadSchedulerConfig } from './config/scheduler.config';

async function main(): Promise<void> {
  const config = loadSchedulerConfig();
  await startService(AppModule.register(config), {
    serviceName: 'scheduler',
    description:
      'Scheduler: schedule, reschedule and cancel deliveries (public API); runs the saga.',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
  });
}

main().catch(exitOnStartFailure);
