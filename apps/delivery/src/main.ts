// First: tracing must be running before anything else loads.
import './instrumentation';
import { DELIVERY_SERVICE, TOPICS } from '@drone-delivery/contracts';
import { ensureTopicsWithDeadLetters, kafkaTls } from '@drone-delivery/messaging';
import { exitOnStartFailure, startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadDeliveryConfig } from './config/delivery.config';
import { connectDeliveryConsumers } from './delivery-consumers';

async function main(): Promise<void> {
  const config = loadDeliveryConfig();
  await startService(AppModule.register(config), {
    serviceName: DELIVERY_SERVICE,
    description:
      'Delivery: the lifecycle of each delivery (internal API) and its status (public API); ' +
      'every change is announced on delivery.events.v1 through a transactional outbox, and ' +
      'InTransit and Completed are derived from drone.telemetry.v1. Subscribers of a delivery ' +
      'are notified of its events by e-mail, SMS or webhook (through notification.commands.v1).',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    beforeListen: async (app) => {
      // The topics it publishes and consumes, each with its dead-letter topic.
      await ensureTopicsWithDeadLetters(
        config.KAFKA_BROKERS,
        [TOPICS.deliveryEvents, TOPICS.droneTelemetry, TOPICS.notificationCommands].map(
          (topic) => ({ topic: topic.name, numPartitions: topic.partitions }),
        ),
        {
          replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
          tls: kafkaTls(config),
        },
      );
      connectDeliveryConsumers(app, config);
    },
  });
}

main().catch(exitOnStartFailure);
