import {
  type DeliveryOutcome,
  type DeliveryRunEvent,
  outcomeReason,
} from '@drone-delivery/demo-traffic';

/** One delivery, scheduled and followed to its end (runDelivery with the client bound). */
export type RunOne = (
  index: number,
  signal: AbortSignal,
  onEvent: (event: DeliveryRunEvent) => void,
) => Promise<DeliveryOutcome>;

export interface TrafficLogger {
  log(message: object): void;
  warn(message: object): void;
}

export interface TrafficSettings {
  intervalMs: number;
  maxInFlight: number;
  statsIntervalMs: number;
}

/** Counts since the last stats line. */
interface Window {
  started: number;
  completed: number;
  failed: number;
  timedOut: number;
  skipped: number;
  timesToCompletedMs: number[];
}

const emptyWindow = (): Window => ({
  started: 0,
  completed: 0,
  failed: 0,
  timedOut: 0,
  skipped: 0,
  timesToCompletedMs: [],
});

/**
 * Schedules a delivery every `intervalMs` and follows it to its end, so the demo has traffic
 * without anyone at a keyboard. Logs each delivery as it is scheduled and as it ends, and a
 * stats line now and then.
 */
export class TrafficGenerator {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  private tickTimer?: NodeJS.Timeout;
  private statsTimer?: NodeJS.Timeout;
  private next = 0;
  private window = emptyWindow();

  constructor(
    private readonly runOne: RunOne,
    private readonly settings: TrafficSettings,
    private readonly logger: TrafficLogger,
  ) {}

  get deliveriesInFlight(): number {
    return this.inFlight.size;
  }

  start(): void {
    this.tick();
    this.tickTimer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.statsTimer = setInterval(() => this.logStats(), this.settings.statsIntervalMs);
  }

  /** Stops scheduling, abandons the deliveries being followed and waits until they let go. */
  async stop(): Promise<void> {
    clearInterval(this.tickTimer);
    clearInterval(this.statsTimer);
    this.stopping.abort(new Error('the traffic generator is stopping'));
    await Promise.allSettled([...this.inFlight]);
  }

  /** Starts one delivery, unless `maxInFlight` are already under way. */
  tick(): void {
    if (this.stopping.signal.aborted) return;
    if (this.inFlight.size >= this.settings.maxInFlight) {
      this.window.skipped += 1;
      return;
    }
    const index = this.next++;
    this.window.started += 1;
    const run = this.runOne(index, this.stopping.signal, (event) => this.onEvent(event))
      .then((outcome) => this.record(outcome))
      .catch((error: unknown) => {
        if (this.stopping.signal.aborted) return;
        this.logger.warn({ message: 'delivery run crashed', index, error: String(error) });
      })
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private onEvent(event: DeliveryRunEvent): void {
    if (event.type === 'scheduled') {
      const { deliveryId, droneId, dropoffEta } = event.delivery;
      this.logger.log({ message: 'delivery scheduled', deliveryId, droneId, dropoffEta });
    } else if (event.type === 'stage' && event.stage === 'DeliveryInTransit') {
      this.logger.log({ message: 'delivery in transit', deliveryId: event.deliveryId });
    }
  }

  private record(outcome: DeliveryOutcome): void {
    const { deliveryId, scheduleAttempts } = outcome;
    if (outcome.result === 'completed') {
      this.window.completed += 1;
      this.window.timesToCompletedMs.push(outcome.timeToCompletedMs ?? 0);
      this.logger.log({
        message: 'delivery completed',
        deliveryId,
        secondsToCompleted: round1((outcome.timeToCompletedMs ?? 0) / 1_000),
        scheduleAttempts,
      });
      return;
    }
    if (outcome.result === 'failed') this.window.failed += 1;
    else this.window.timedOut += 1;
    this.logger.warn({
      message: outcome.result === 'failed' ? 'delivery failed' : 'delivery timed out',
      deliveryId,
      scheduleAttempts,
      reason: outcomeReason(outcome),
    });
  }

  private logStats(): void {
    const { timesToCompletedMs, ...counts } = this.window;
    const sorted = [...timesToCompletedMs].sort((a, b) => a - b);
    this.logger.log({
      message: 'traffic stats',
      windowSeconds: this.settings.statsIntervalMs / 1_000,
      ...counts,
      inFlight: this.inFlight.size,
      ...(sorted.length > 0 && {
        secondsToCompletedP50: round1(sorted[Math.ceil(sorted.length / 2) - 1] / 1_000),
        secondsToCompletedMax: round1(sorted[sorted.length - 1] / 1_000),
      }),
    });
    this.window = emptyWindow();
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;
