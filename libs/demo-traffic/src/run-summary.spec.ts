import { type DeliveryOutcome } from './delivery-run';
import { formatRunSummary, summarizeRun } from './run-summary';

const completed = (index: number, ms: number): DeliveryOutcome => ({
  index,
  result: 'completed',
  deliveryId: `d-${index}`,
  startedAt: 0,
  timeToCompletedMs: ms,
  scheduleAttempts: 1,
});

const suspended = {
  type: 'https://drone-delivery.example/problems/account-suspended',
  title: 'The account is suspended',
  status: 422,
  detail: 'Account 2222 is suspended.',
  errors: [{ field: 'accountId', message: 'this account is suspended' }],
};

describe('summarizeRun', () => {
  const outcomes: DeliveryOutcome[] = [
    completed(0, 12_000),
    completed(1, 30_000),
    completed(2, 9_000),
    { index: 3, result: 'failed', startedAt: 0, scheduleAttempts: 1, problem: suspended },
    { index: 4, result: 'failed', startedAt: 0, scheduleAttempts: 1, problem: suspended },
    {
      index: 5,
      result: 'timed-out',
      deliveryId: 'd-5',
      startedAt: 0,
      scheduleAttempts: 1,
      reason: "not Completed before the timeout (its history's last event is DeliveryInTransit)",
    },
  ];

  it('counts, times and explains the run', () => {
    const summary = summarizeRun(outcomes, 60_000, 2);

    expect(summary).toMatchObject({
      count: 6,
      completed: 3,
      failed: 2,
      timedOut: 1,
      completedPerSecond: 0.05,
      timeToCompletedMs: { p50: 12_000, p95: 30_000, max: 30_000 },
      slowest: [
        { deliveryId: 'd-1', timeToCompletedMs: 30_000 },
        { deliveryId: 'd-0', timeToCompletedMs: 12_000 },
      ],
    });
    expect(summary.failures).toEqual([
      {
        reason:
          '422 The account is suspended — Account 2222 is suspended. [accountId this account is suspended]',
        count: 2,
        examples: ['#3', '#4'],
      },
    ]);
    expect(summary.timeouts).toEqual([expect.objectContaining({ count: 1, examples: ['d-5'] })]);
  });

  it('prints every figure', () => {
    const text = formatRunSummary(summarizeRun(outcomes, 60_000));

    expect(text).toContain('deliveries: 6  completed: 3  failed: 2  timed out: 1');
    expect(text).toContain('total time: 60.0 s  throughput: 0.05 completed/s');
    expect(text).toContain('d-1  30.0 s');
    expect(text).toContain('2 × 422 The account is suspended');
    expect(text).toMatch(/timeouts:\n {2}1 × not Completed before the timeout/);
  });
});
