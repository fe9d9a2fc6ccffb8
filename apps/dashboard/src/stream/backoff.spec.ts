import { reconnectDelayMs } from './backoff';

describe('reconnectDelayMs', () => {
  it('doubles from half a second up to 15 seconds', () => {
    const most = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => reconnectDelayMs(attempt, most))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000,
    ]);
  });

  it('waits at least half of the ceiling (jitter)', () => {
    expect(reconnectDelayMs(3, () => 0)).toBe(2_000);
  });
});
