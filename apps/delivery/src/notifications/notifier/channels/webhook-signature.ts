import { createHmac } from 'node:crypto';

/** The headers of every webhook call, by role. */
export const WEBHOOK_HEADERS = {
  timestamp: 'x-drone-delivery-timestamp',
  signature: 'x-drone-delivery-signature',
} as const;

/**
 * `sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>`. Signing the timestamp with the
 * body lets a receiver refuse a replayed call: it checks the signature with its secret, then
 * that the timestamp (Unix seconds) is recent.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
