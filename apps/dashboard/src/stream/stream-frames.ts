import { type ServerFrame } from '@drone-delivery/contracts';

// The live stream's frames, as libs/contracts defines them for the gateway and this page (types
// only: nothing of contracts' code reaches the bundle).

export const STREAM_PATH = '/api/v1/stream';
/** The subprotocol; the token rides as a second one, `bearer.<jwt>` (browsers set no headers). */
export const STREAM_PROTOCOL = 'drone-delivery.stream.v1';
/** The gateway closes with this when the access token expires: renew, reconnect, resume. */
export const CLOSE_TOKEN_EXPIRED = 4401;

export type {
  ClientMessage,
  DeliveryEventFrame,
  ErrorFrame,
  PositionFrame,
  ServerFrame,
  SubscribedFrame,
} from '@drone-delivery/contracts';

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
