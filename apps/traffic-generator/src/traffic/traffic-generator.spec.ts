import { type DeliveryOutcome } from '@drone-delivery/demo-traffic';
import { type RunOne, TrafficGenerator } from './traffic-generator';

/** A delivery run the test finishes by hand. */
interface PendingRun {
  index: number;
  signal: AbortSignal;
  finish(outcome: Partial<DeliveryOutcome>): void;
}

function fakeRuns() {
  const runs: PendingRun[] = [];
  const runOne: RunOne = (index, signal) =>
    new Promise<DeliveryOutcome>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      runs.push({
        index,
        signal,
        finish: (outcome) =>
          resolve({ index, result: 'completed', startedAt: 0, scheduleAttempts: 1, ...outcome }),
      });
    });
  return { runs, runOne };
}

function recordingLogger() {
  const lines: { level: string; message: Record<string, unknown> }[] = [];
  return {
    lines,
    log: (message: object) => lines.push({ level: 'log', message: { ...message } }),
    warn: (message: object) => lines.push({ level: 'warn', message: { ...message } }),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TrafficGenerator', () => {
  const settings = { intervalMs: 60_000, maxInFlight: 2, statsIntervalMs: 60_000 };

  it('starts one delivery per tick, and skips ticks while maxInFlight are under way', async () => {
    const { runs, runOne } = fakeRuns();
    const generator = new TrafficGenerator(runOne, settings, recordingLogger());

    generator.tick();
    generator.tick();
    generator.tick();
    expect(runs.map((run) => run.index)).toEqual([0, 1]);

    runs[0].finish({ deliveryId: 'd-0', timeToCompletedMs: 12_000 });
    await settle();
    generator.tick();

    expect(runs.map((run) => run.index)).toEqual([0, 1, 2]);
    expect(generator.deliveriesInFlight).toBe(2);
    await generator.stop();
  });

  it('logs how each delivery ended, with why for failures', async () => {
    const { runs, runOne } = fakeRuns();
    const logger = recordingLogger();
    const generator = new TrafficGenerator(runOne, settings, logger);

    generator.tick();
    generator.tick();
    runs[0].finish({ deliveryId: 'd-0', timeToCompletedMs: 12_340 });
    runs[1].finish({
      result: 'failed',
      problem: { type: 'about:blank', title: 'Unprocessable Entity', status: 422 },
    });
    await settle();

    expect(logger.lines).toEqual([
      {
        level: 'log',
        message: {
          message: 'delivery completed',
          deliveryId: 'd-0',
          secondsToCompleted: 12.3,
          scheduleAttempts: 1,
        },
      },
      {
        level: 'warn',
        message: {
          message: 'delivery failed',
          deliveryId: undefined,
          scheduleAttempts: 1,
          reason: '422 Unprocessable Entity',
        },
      },
    ]);
    await generator.stop();
  });

  it('stop() aborts the deliveries under way, waits for them, and starts no more', async () => {
    const { runs, runOne } = fakeRuns();
    const logger = recordingLogger();
    const generator = new TrafficGenerator(runOne, settings, logger);
    generator.tick();

    await generator.stop();
    generator.tick();

    expect(runs).toHaveLength(1);
    expect(runs[0].signal.aborted).toBe(true);
    expect(generator.deliveriesInFlight).toBe(0);
    expect(logger.lines).toEqual([]);
  });

  it('ticks on its own every intervalMs once started', async () => {
    jest.useFakeTimers();
    try {
      const { runs, runOne } = fakeRuns();
      const generator = new TrafficGenerator(
        runOne,
        { intervalMs: 1_000, maxInFlight: 10, statsIntervalMs: 60_000 },
        recordingLogger(),
      );

      generator.start();
      jest.advanceTimersByTime(3_000);

      expect(runs).toHaveLength(4); // at once, then at 1, 2 and 3 s
      const stopped = generator.stop();
      await jest.runAllTimersAsync();
      await stopped;
    } finally {
      jest.useRealTimers();
    }
  });
});
