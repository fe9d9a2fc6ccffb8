import { fieldErrorsProblem } from '@drone-delivery/service-defaults';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** The Idempotency-Key header, checked: absent is fine, empty or too long is a 400. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (header.length === 0 || header.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw fieldErrorsProblem([
      {
        field: 'Idempotency-Key',
        message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long`,
      },
    ]);
  }
  return header;
}

/** True when `Prefer` (RFC 7240) holds `respond-async`, e.g. `Prefer: respond-async, wait=5`. */
export function prefersRespondAsync(header: string | undefined): boolean {
  return (header ?? '')
    .split(',')
    .some((preference) => preference.split(';')[0].trim().toLowerCase() === 'respond-async');
}
