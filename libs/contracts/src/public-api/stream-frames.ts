import { type DeliveryEventName } from '../events/delivery-events';
import { type GeoPoint } from '../geo';

/**
 * The live stream's protocol (`/api/v1/stream`, WebSocket, one JSON object per message).
 *
 * Client → gateway:
 *   {"type":"subscribe","deliveryId":"…","afterSequence":3}  events after 3 (replayed, then live)
 *   {"type":"unsubscribe","deliveryId":"…"}
 *   {"type":"watch-fleet"}   operators: every drone's position
 *
 * Gateway → client:
 *   {"type":"delivery-event",…}  at least once, in sequence order per delivery, without gaps
 *   {"type":"position",…}        at most once, latest only (a slow client skips positions)
 *   {"type":"subscribed","deliveryId":"…","lastSequence":5}  the replay is done; live from here
 *   {"type":"error","code":"…","message":"…","deliveryId"?:"…"}
 */
export interface DeliveryEventFrame {
  type: 'delivery-event';
  deliveryId: string;
  eventId: string;
  eventType: DeliveryEventName;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface PositionFrame {
  type: 'position';
  droneId: string;
  deliveryId: string | null;
  state: string;
  location: GeoPoint;
  batteryPercent: number;
  reportedAt: string;
}

export interface SubscribedFrame {
  type: 'subscribed';
  deliveryId: string;
  lastSequence: number;
}

export interface ErrorFrame {
  type: 'error';
  code: 'bad-message' | 'not-found' | 'too-many-subscriptions' | 'forbidden' | 'unavailable';
  message: string;
  deliveryId?: string;
}

export type ServerFrame = DeliveryEventFrame | PositionFrame | SubscribedFrame | ErrorFrame;

export type ClientMessage =
  | { type: 'subscribe'; deliveryId: string; afterSequence: number }
  | { type: 'unsubscribe'; deliveryId: string }
  | { type: 'watch-fleet' };
