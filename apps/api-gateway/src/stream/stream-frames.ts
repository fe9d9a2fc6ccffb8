import {
  type ClientMessage,
  DELIVERY_EVENT_TYPES,
  type DeliveryEvent,
  type DeliveryEventFrame,
  type DeliveryEventName,
  type DroneTelemetryEvent,
  type ErrorFrame,
  type PositionFrame,
  type ServerFrame,
  type SubscribedFrame,
} from '@drone-delivery/contracts';

// The frames themselves are in libs/contracts (public-api/stream-frames.ts), shared with the
// dashboard; this file builds and parses them.
export type {
  ClientMessage,
  DeliveryEventFrame,
  ErrorFrame,
  PositionFrame,
  ServerFrame,
  SubscribedFrame,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A client message larger than this is refused unread (a subscribe is ~100 bytes). */
export const MAX_CLIENT_MESSAGE_BYTES = 4_096;

/** A client's message, or why it is not one (answered with a `bad-message` error frame). */
export function parseClientMessage(raw: string): ClientMessage | { error: string } {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return { error: 'a message must be one JSON object' };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { error: 'a message must be one JSON object' };
  }
  const { type, deliveryId, afterSequence } = message as Record<string, unknown>;
  if (type === 'watch-fleet') return { type };
  if (type !== 'subscribe' && type !== 'unsubscribe') {
    return { error: 'type must be subscribe, unsubscribe or watch-fleet' };
  }
  if (typeof deliveryId !== 'string' || !UUID.test(deliveryId)) {
    return { error: 'deliveryId must be a UUID' };
  }
  if (type === 'unsubscribe') return { type, deliveryId: deliveryId.toLowerCase() };
  const after = afterSequence ?? 0;
  if (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0) {
    return { error: 'afterSequence must be a whole number, 0 or more' };
  }
  return { type, deliveryId: deliveryId.toLowerCase(), afterSequence: after };
}

const EVENT_NAMES = new Map(
  Object.entries(DELIVERY_EVENT_TYPES).map(([name, type]) => [type, name as DeliveryEventName]),
);

/** A delivery event from Kafka, as the stream sends it (the history's entry shape, plus ids). */
export function deliveryEventFrame(event: DeliveryEvent): DeliveryEventFrame {
  return {
    type: 'delivery-event',
    deliveryId: event.subject,
    eventId: event.id,
    eventType: EVENT_NAMES.get(event.type) as DeliveryEventName,
    sequence: event.sequence,
    occurredAt: event.time,
    data: event.data as unknown as Record<string, unknown>,
  };
}

/** One entry of `GET /api/v1/deliveries/{id}/history`. */
export interface HistoryEntry {
  eventId: string;
  type: DeliveryEventName;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

export function historyEntryFrame(deliveryId: string, entry: HistoryEntry): DeliveryEventFrame {
  return {
    type: 'delivery-event',
    deliveryId,
    eventId: entry.eventId,
    eventType: entry.type,
    sequence: entry.sequence,
    occurredAt: entry.occurredAt,
    data: entry.data,
  };
}

export function positionFrame(report: DroneTelemetryEvent): PositionFrame {
  return {
    type: 'position',
    droneId: report.data.droneId,
    deliveryId: report.data.deliveryId,
    state: report.data.state,
    location: report.data.location,
    batteryPercent: report.data.batteryPercent,
    reportedAt: report.time,
  };
}
