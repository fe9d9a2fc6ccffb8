import {
  DELIVERY_EVENT_TYPES,
  type DeliveryEvent,
  type DeliveryEventName,
  type DeliveryStage,
} from '@drone-delivery/contracts';
import { InvalidMessageError } from '@drone-delivery/messaging';

/** A delivery event as the history records it: short type name, its stage, instants as Dates. */
export interface HistoryEvent {
  eventId: string;
  deliveryId: string;
  /** e.g. `DeliveryCreated`: what readers of the history see, not the versioned CloudEvents type. */
  name: DeliveryEventName;
  /** The stage the delivery is in after this event. */
  stage: DeliveryStage;
  sequence: number;
  /** The envelope's `time`. */
  occurredAt: Date;
  data: DeliveryEvent['data'];
  /** Only DeliveryCreated says whose delivery it is. */
  accountId: string | null;
}

const MAX_SEQUENCE = 2_147_483_647;

const STAGE_AFTER: Record<DeliveryEventName, DeliveryStage> = {
  DeliveryCreated: 'Created',
  DeliveryRescheduled: 'Rescheduled',
  DeliveryInTransit: 'InTransit',
  DeliveryCompleted: 'Completed',
  DeliveryCancelled: 'Cancelled',
};

const NAME_OF_TYPE = new Map<string, DeliveryEventName>(
  Object.entries(DELIVERY_EVENT_TYPES).map(([name, type]) => [type, name as DeliveryEventName]),
);

/**
 * Turns a parsed (schema-valid) delivery event into what the history stores. An envelope whose
 * subject is not the delivery its data names can never be recorded correctly: it is rejected.
 */
export function toHistoryEvent(event: DeliveryEvent): HistoryEvent {
  const name = NAME_OF_TYPE.get(event.type);
  // parseDeliveryEvent accepts only the types of DELIVERY_EVENT_TYPES; this guards a contract
  // change that adds a type without its stage.
  if (!name) throw new InvalidMessageError(`unknown delivery event type ${event.type}`);
  // The timeline stores it as a Postgres integer: larger would fail the insert and be retried
  // as if the database were at fault, then dead-lettered with a misleading reason.
  if (event.sequence > MAX_SEQUENCE) {
    throw new InvalidMessageError(
      `sequence ${event.sequence} is beyond the largest this history records (${MAX_SEQUENCE})`,
    );
  }
  if (event.subject !== event.data.deliveryId) {
    throw new InvalidMessageError(
      `subject ${event.subject} is not the event's delivery ${event.data.deliveryId}`,
    );
  }
  return {
    eventId: event.id,
    deliveryId: event.data.deliveryId,
    name,
    stage: STAGE_AFTER[name],
    sequence: event.sequence,
    occurredAt: new Date(event.time),
    data: event.data,
    accountId: event.type === DELIVERY_EVENT_TYPES.DeliveryCreated ? event.data.accountId : null,
  };
}
