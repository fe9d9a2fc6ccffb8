/**
 * Reconnect delay after `attempt` failures in a row: exponential from 500 ms to 15 s, with
 * jitter (half to all of it) so that many pages cut off together do not return together.
 */
export function reconnectDelayMs(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 500,
  maxMs = 15_000,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (0.5 + random() / 2));
}
