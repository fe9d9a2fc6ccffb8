// First: tracing must be running before anything else loads.
import './instrumentation';
import { TOPICS } from '@drone-delivery/contracts';
import {
  connectReliableKafkaConsumer,
  ensureTopicsWithDeadLetters,
  kafkaTls,
} from '@drone-delivery/messaging';
import { exitOnStartFailure, startService } from '@drone-delivery/service-defaults';
import { AppModule } from './app.module';
import {
  DELIVERY_HISTORY_SERVICE,
  loadDeliveryHistoryConfig,
} from './config/delivery-history.config';

async function main(): Promise<void> {
  const config = loadDeliveryHistoryConfig();
  await startService(AppModule.register(config), {
    serviceName: DELIVERY_HISTORY_SERVICE,
    description:
      'Delivery history: the timeline of every delivery and a search over deliveries (public ' +
      'API), a read model built from delivery.events.v1.',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    beforeListen: async (app) => {
      await ensureTopicsWithDeadLetters(
        config.KAFKA_BROKERS,
        [{ topic: TOPICS.deliveryEvents.name, numPartitions: TOPICS.deliveryEvents.partitions }],
        {
          replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
          tls: kafkaTls(config),
        },
      );
      connectReliableKafkaConsumer(app, {
        clientId: DELIVERY_HISTORY_SERVICE,
        brokers: config.KAFKA_BROKERS,
        tls: kafkaTls(config),
        groupId: config.KAFKA_GROUP_ID,
      });
    },
  });
}

main().catch(exitOnStartFailure);
