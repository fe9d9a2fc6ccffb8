import { v7 as uuidv7 } from 'uuid';
import {
  DELIVERY_EVENT_SOURCE,
  DELIVERY_EVENT_TYPES,
  type DeliveryEvent,
  type DeliveryEventData,
  type DeliveryEventName,
} from '@drone-delivery/contracts';

export interface DeliveryEventFacts<TName extends DeliveryEventName> {
  name: TName;
  deliveryId: string;
  /** 1 for the delivery's first event, then one more for each. */
  sequence: number;
  time: Date;
  data: DeliveryEventData<TName>;
  /** The request that caused the event, when there is one. */
  correlationId?: string;
  /** W3C trace context of the span that caused it (CloudEvents' distributed tracing extension). */
  traceparent?: string;
}

/** The CloudEvents 1.0 envelope of a delivery event, with a fresh UUIDv7 as its id. */
export function deliveryEventEnvelope<TName extends DeliveryEventName>(
  facts: DeliveryEventFacts<TName>,
): DeliveryEvent {
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: DELIVERY_EVENT_SOURCE,
    type: DELIVERY_EVENT_TYPES[facts.name],
    subject: facts.deliveryId,
    time: facts.time.toISOString(),
    datacontenttype: 'application/json',
    sequence: facts.sequence,
    ...(facts.correlationId !== undefined && { correlationid: facts.correlationId }),
    ...(facts.traceparent !== undefined && { traceparent: facts.traceparent }),
    data: facts.data,
  } as DeliveryEvent;
}
