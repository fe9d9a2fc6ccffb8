import { DRONE_MANAGEMENT_SERVICE } from '@drone-delivery/contracts';
import { startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadDroneManagementConfig } from './config/drone-management.config';

async function main(): Promise<void> {
  const config = loadDroneManagementConfig();
  await startService(AppModule.register(config), {
    serviceName: DRONE_MANAGEMENT_SERVICE,
    description:
      'Drone management: the fleet, and which drone flies which delivery (internal API).',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
