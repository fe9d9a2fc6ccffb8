export interface WaitForOptions {
  /** Give up after this long. */
  timeoutMs?: number;
  /** Pause between attempts. */
  intervalMs?: number;
  /** Says what was awaited when the wait times out. */
  description?: string;
}

/**
 * Polls `probe` until it returns a value other than `undefined`, `null` or `false`, and returns
 * that value. A probe that throws counts as "not yet"; its last error is reported on timeout.
 * Tests wait on conditions like this rather than sleeping a fixed time.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 20_000, intervalMs = 100, description = 'condition' }: WaitForOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) {
        return value as Exclude<T, undefined | null | false>;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
