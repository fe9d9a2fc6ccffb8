import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type DeliveryEventName, parseDeliveryEvent, TOPICS } from '@drone-delivery/contracts';
import { currentCorrelationId } from '@drone-delivery/http';
import { type DeliveryEventFacts, deliveryEventEnvelope } from './delivery-event-envelope';
import { OutboxEvent } from './outbox-event.entity';

/**
 * The Kafka headers of every message the service publishes (delivery events, notification
 * commands): CloudEvents' Kafka binding, structured mode (the whole envelope is the value), so a
 * consumer knows the format without opening it.
 */
export const CLOUD_EVENT_HEADERS = { 'content-type': 'application/cloudevents+json' };

/** Writes delivery events into the outbox, inside the caller's transaction. */
@Injectable()
export class OutboxService {
  /**
   * Adds the event to the transaction of `manager`: it is published only if that transaction
   * commits. The envelope is checked against the topic's schemas first, so a bug fails the
   * request (and rolls back its change) instead of reaching every consumer.
   */
  async appendDeliveryEvent<TName extends DeliveryEventName>(
    manager: EntityManager,
    facts: Omit<DeliveryEventFacts<TName>, 'correlationId'>,
  ): Promise<OutboxEvent> {
    const event = parseDeliveryEvent(
      deliveryEventEnvelope({ ...facts, correlationId: currentCorrelationId() }),
    );
    const row = manager.create(OutboxEvent, {
      id: event.id,
      deliveryId: event.subject,
      sequence: event.sequence,
      type: event.type,
      topic: TOPICS.deliveryEvents.name,
      key: event.subject,
      payload: event,
      headers: CLOUD_EVENT_HEADERS,
    });
    await manager.insert(OutboxEvent, row);
    return row;
  }
}
