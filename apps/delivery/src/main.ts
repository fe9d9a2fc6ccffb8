import { startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadDeliveryConfig } from './config/delivery.config';

async function main(): Promise<void> {
  const config = loadDeliveryConfig();
  await startService(AppModule.register(config), {
    serviceName: 'delivery',
    description:
      'Delivery: the lifecycle of each delivery (internal API) and its status (public API); ' +
      'every change is announced on delivery.events.v1 through a transactional outbox.',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
