import { type INestApplication } from '@nestjs/common';
import { DELIVERY_SERVICE, EventValidationError } from '@drone-delivery/contracts';
import {
  connectReliableKafkaConsumer,
  InvalidMessageError,
  ReliableKafkaServer,
} from '@drone-delivery/messaging';
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
    const consumer = connectReliableKafkaConsumer(app, {
      clientId: DELIVERY_SERVICE,
      brokers: config.KAFKA_BROKERS,
      groupId,
    });
    const server = consumer.getTransportServer();
    if (!(server instanceof ReliableKafkaServer)) throw new Error('not a ReliableKafkaServer');
    // Only the handlers that name this id are bound to this consumer, and only their topics
    // are subscribed by its group.
    server.setTransportId(transportId);
  }
}

/**
 * Checks a message with its topic's parser. A message that breaks the contract can never be
 * handled: it becomes an InvalidMessageError, which the consumer dead-letters at once.
 */
export function parseMessage<T>(parse: (value: unknown) => T, message: unknown): T {
  try {
    return parse(message);
  } catch (error) {
    if (error instanceof EventValidationError) throw new InvalidMessageError(error.message);
    throw error;
  }
}
