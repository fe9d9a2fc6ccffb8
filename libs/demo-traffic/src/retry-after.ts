/**
 * How long a `Retry-After` header (RFC 9110: delay-seconds or an HTTP-date) asks to wait, in ms;
 * undefined when absent or unreadable. A date in the past means "now" (0).
 */
export function retryAfterMs(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  // Only what looks like a date (names a day or month): Date.parse also takes "-1" or "1.5".
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
