// First: tracing must be running before anything else loads.
import './instrumentation';
import { DRONE_MANAGEMENT_SERVICE, TOPICS } from '@drone-delivery/contracts';
import { ensureTopicsWithDeadLetters, kafkaTls } from '@drone-delivery/messaging';
import { exitOnStartFailure, startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadDroneManagementConfig } from './config/drone-management.config';
import { connectFleetSnapshotConsumer } from './fleet-snapshot/fleet-snapshot.module';

async function main(): Promise<void> {
  const config = loadDroneManagementConfig();
  await startService(AppModule.register(config), {
    serviceName: DRONE_MANAGEMENT_SERVICE,
    description:
      'Drone management: the fleet, and which drone flies which delivery (internal API); ' +
      'its flight simulator flies them and publishes their telemetry on drone.telemetry.v1, ' +
      'and each instance answers fleet-snapshot requests with the drones it flies.',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    beforeListen: async (app) => {
      // The simulator is the only producer of telemetry, and an instance that flies nothing has
      // nothing to answer fleet snapshots with: without it the service needs no Kafka.
      if (!config.simulatorEnabled) return;
      await ensureTopicsWithDeadLetters(
        config.KAFKA_BROKERS,
        [TOPICS.droneTelemetry, TOPICS.fleetSnapshotRequests, TOPICS.fleetSnapshotReplies].map(
          (topic) => ({ topic: topic.name, numPartitions: topic.partitions }),
        ),
        {
          replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
          tls: kafkaTls(config),
        },
      );
      connectFleetSnapshotConsumer(app, config);
    },
  });
}

main().catch(exitOnStartFailure);
