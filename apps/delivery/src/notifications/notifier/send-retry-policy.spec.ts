import { PermanentSendFailure } from './channels/send-failure';
import { sendRetryPolicy } from './send-retry-policy';

describe('sendRetryPolicy', () => {
  it('sends up to maxAttempts times, never waiting longer than the cap', async () => {
    const policy = sendRetryPolicy({ maxAttempts: 10, initialBackoffMs: 10, maxBackoffMs: 20 });
    const delays: number[] = [];
    policy.onRetry(({ delay }) => delays.push(delay));
    let sends = 0;

    const outcome = policy.execute(() => {
      sends += 1;
      throw new Error(`the webhook answered 503 (send ${sends})`);
    });

    await expect(outcome).rejects.toThrow('the webhook answered 503 (send 10)');
    expect(sends).toBe(10);
    expect(delays).toHaveLength(9);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(20);
  });

  it('stops at the first success', async () => {
    const policy = sendRetryPolicy({ maxAttempts: 5, initialBackoffMs: 10, maxBackoffMs: 10 });
    let sends = 0;

    await expect(
      policy.execute(() => {
        sends += 1;
        if (sends < 2) throw new Error('the SMS provider answered 502');
        return 'accepted';
      }),
    ).resolves.toBe('accepted');
    expect(sends).toBe(2);
  });

  it('does not retry a permanent failure', async () => {
    const policy = sendRetryPolicy({ maxAttempts: 5, initialBackoffMs: 10, maxBackoffMs: 10 });
    let sends = 0;

    await expect(
      policy.execute(() => {
        sends += 1;
        throw new PermanentSendFailure('webhookUrl must use https');
      }),
    ).rejects.toThrow(PermanentSendFailure);
    expect(sends).toBe(1);
  });
});
