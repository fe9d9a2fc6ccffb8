import { type INestApplication } from '@nestjs/common';
import { DELIVERY_SERVICE } from '@drone-delivery/contracts';
import { connectReliableKafkaConsumer, kafkaTls } from '@drone-delivery/messaging';
import { type DeliveryConfig } from './config/delivery.config';

/**
 * The service's Kafka consumers, each in its own consumer group so each keeps its own offsets
 * and scales on its own. Nest hands every `@EventPattern` of a hybrid app to every consumer
 * unless the pattern names a transport id: each handler names its consumer's, e.g.
 * `@EventPattern(TOPICS.droneTelemetry.name, DELIVERY_CONSUMERS.telemetry)`.
 */
export const DELIVERY_CONSUMERS = {
  /** drone.telemetry.v1 → delivery stages (KAFKA_GROUP_ID). */
  telemetry: Symbol('delivery-telemetry-consumer'),
  /** delivery.events.v1 → notification commands (NOTIFICATION_MATCHER_GROUP_ID). */
  notificationMatcher: Symbol('delivery-notification-matcher'),
  /** notification.commands.v1 → e-mails, SMS, webhooks (NOTIFIER_GROUP_ID). */
  notifier: Symbol('delivery-notifier'),
} as const;

/** Connects every consumer of the service to the app (started by startService). */
export function connectDeliveryConsumers(app: INestApplication, config: DeliveryConfig): void {
  const groups: [symbol, string][] = [
    [DELIVERY_CONSUMERS.telemetry, config.KAFKA_GROUP_ID],
    [DELIVERY_CONSUMERS.notificationMatcher, config.NOTIFICATION_MATCHER_GROUP_ID],
    [DELIVERY_CONSUMERS.notifier, config.NOTIFIER_GROUP_ID],
  ];
  for (const [transportId, groupId] of groups) {
    connectReliableKafkaConsumer(app, {
      clientId: DELIVERY_SERVICE,
      brokers: config.KAFKA_BROKERS,
      tls: kafkaTls(config),
      groupId,
      transportId,
    });
  }
}
