import { type DeliveryEventName, type GeoPoint } from '../api/api-types';

// The live stream's frames (apps/api-gateway/src/stream/stream-frames.ts is the server's side).

export const STREAM_PATH = '/api/v1/stream';
/** The subprotocol; the token rides as a second one, `bearer.<jwt>` (browsers set no headers). */
export const STREAM_PROTOCOL = 'drone-delivery.stream.v1';
/** The gateway closes with this when the access token expires: renew, reconnect, resume. */
export const CLOSE_TOKEN_EXPIRED = 4401;

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

const FRAME_TYPES = new Set(['delivery-event', 'position', 'subscribed', 'error']);

/** A frame from the gateway, or null for anything else (ignored, never fatal). */
export function parseServerFrame(raw: unknown): ServerFrame | null {
  if (typeof raw !== 'string') return null;
  try {
    const frame = JSON.parse(raw) as { type?: unknown };
    return typeof frame === 'object' && frame !== null && FRAME_TYPES.has(frame.type as string)
      ? (frame as ServerFrame)
      : null;
  } catch {
    return null;
  }
}
