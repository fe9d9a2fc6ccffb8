import { DELIVERY_SERVICE, TOPICS } from '@drone-delivery/contracts';
import {
  connectReliableKafkaConsumer,
  ensureTopicsWithDeadLetters,
} from '@drone-delivery/messaging';
import { startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import { loadDeliveryConfig } from './config/delivery.config';

async function main(): Promise<void> {
  const config = loadDeliveryConfig();
  await startService(AppModule.register(config), {
    serviceName: DELIVERY_SERVICE,
    description:
      'Delivery: the lifecycle of each delivery (internal API) and its status (public API); ' +
      'every change is announced on delivery.events.v1 through a transactional outbox, and ' +
      'InTransit and Completed are derived from drone.telemetry.v1.',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    beforeListen: async (app) => {
      // The topic it publishes and the one it consumes, each with its dead-letter topic.
      await ensureTopicsWithDeadLetters(config.KAFKA_BROKERS, [
        { topic: TOPICS.deliveryEvents.name, numPartitions: TOPICS.deliveryEvents.partitions },
        { topic: TOPICS.droneTelemetry.name, numPartitions: TOPICS.droneTelemetry.partitions },
      ]);
      connectReliableKafkaConsumer(app, {
        clientId: DELIVERY_SERVICE,
        brokers: config.KAFKA_BROKERS,
        groupId: config.KAFKA_GROUP_ID,
      });
    },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
