import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy value the probe yields', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats a throwing probe as not ready and reports its last error on timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 50, intervalMs: 5, description: 'the broker' },
      ),
    ).rejects.toThrow(/waiting for the broker \(last error: connection refused\)/);
  });
});
