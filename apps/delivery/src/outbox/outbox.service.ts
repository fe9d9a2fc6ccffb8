import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type DeliveryEventName, parseDeliveryEvent, TOPICS } from '@drone-delivery/contracts';
import { currentCorrelationId } from '@drone-delivery/http';
import { traceContextHeaders } from '@drone-delivery/observability';
import { type DeliveryEventFacts, deliveryEventEnvelope } from './delivery-event-envelope';
import { OutboxEvent } from './outbox-event.entity';

/**
 * The Kafka headers of every message the service publishes (delivery events, notification
 * commands): CloudEvents' Kafka binding, structured mode (the whole envelope is the value), so a
 * consumer knows the format without opening it.
 */
export const CLOUD_EVENT_HEADERS = { 'content-type': 'application/cloudevents+json' };

/**
 * The headers of a message written now and published later by a relay: the CloudEvents ones and
 * the trace context of the request or message that caused it (W3C `traceparent`), which the
 * relay keeps, so the consumers' spans join that trace.
 */
export function outboxHeaders(): Record<string, string> {
  return { ...CLOUD_EVENT_HEADERS, ...traceContextHeaders() };
}

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
    facts: Omit<DeliveryEventFacts<TName>, 'correlationId' | 'traceparent'>,
  ): Promise<OutboxEvent> {
    const headers = outboxHeaders();
    const event = parseDeliveryEvent(
      deliveryEventEnvelope({
        ...facts,
        correlationId: currentCorrelationId(),
        traceparent: headers['traceparent'],
      }),
    );
    const row = manager.create(OutboxEvent, {
      id: event.id,
      deliveryId: event.subject,
      sequence: event.sequence,
      type: event.type,
      topic: TOPICS.deliveryEvents.name,
      key: event.subject,
      payload: event,
      headers,
    });
    await manager.insert(OutboxEvent, row);
    return row;
  }
}
