import { Inject, Injectable, Logger } from '@nestjs/common';
import { ExponentialBackoff, handleAll, retry, type RetryPolicy } from 'cockatiel';
import {
  DRONE_MANAGEMENT_SERVICE,
  type DroneTelemetryEvent,
  EventValidationError,
  parseDroneTelemetry,
  TOPICS,
} from '@drone-delivery/contracts';
import { createIdempotentProducer, kafkaTls, type Producer } from '@drone-delivery/messaging';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';

/**
 * Reports held while the broker is away, after coalescing: only state changes pile up, so this
 * is many flights of a large fleet. Beyond it the oldest are dropped, so memory stays bounded.
 */
const MAX_PENDING = 50_000;
/** Reports per send. */
const SEND_BATCH = 500;
/**
 * How long close() waits for a send attempt under way to end: kafkajs' own connect retries (5,
 * from 300 ms) take about 10 s with jitter. Their timers would keep the process alive that long
 * anyway, so the wait costs a shutdown nothing; it only makes the end of the work visible.
 */
const IN_FLIGHT_GRACE_MS = 15_000;

/** A queued report; coalescing swaps in a newer report of the same drone in the same state. */
interface Pending {
  report: DroneTelemetryEvent;
}

/**
 * Publishes telemetry reports to `drone.telemetry.v1`, keyed by droneId, in the order they were
 * handed over: one send in flight at a time, each awaited until the broker acknowledged it
 * (`acks: -1`). Sending runs beside the simulator's ticks, so a slow or absent Kafka never holds
 * up the flights. A failed send is retried with backoff until it gets through (a fresh producer
 * each time), so no report is lost to a broker outage. Meanwhile the reports queue up coalesced:
 * a drone's report that only moves it (same state, same deliveries) replaces the one queued
 * before it, while every change of state stays, in order — delivery derives stages from them.
 */
@Injectable()
export class TelemetryPublisher {
  private readonly logger = new Logger(TelemetryPublisher.name);
  private producer: Producer | undefined;
  private pending: Pending[] = [];
  /** The last queued report of each drone: the one a newer position may replace. */
  private readonly latestOfDrone = new Map<string, Pending>();
  /** The batch being sent, out of the queue so that nothing coalesces into it. */
  private inFlight: Pending[] | undefined;
  private sending: Promise<void> | undefined;
  private failing = false;
  private closeRequested = false;
  private readonly closing = new AbortController();
  // A retry waiting for the broker must not keep a stopping process alive: unreferenced.
  private readonly retryPolicy: RetryPolicy = retry(handleAll, {
    maxAttempts: Number.POSITIVE_INFINITY,
    backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 }),
  }).dangerouslyUnref();

  constructor(@Inject(DRONE_MANAGEMENT_CONFIG) private readonly config: DroneManagementConfig) {
    this.retryPolicy.onRetry(({ delay, ...reason }) => {
      // Shutting down: nothing more is tried while Kafka is failing.
      if (this.closeRequested) this.closing.abort();
      if (this.failing) return;
      this.failing = true;
      const error = 'error' in reason ? reason.error : undefined;
      this.logger.warn(
        `Telemetry not sent, retrying every ${Math.round(delay)} ms or more while the flights ` +
          `go on: ${describe(error)}`,
      );
    });
  }

  /**
   * Queues the reports for sending and returns at once. A report that breaks the contract is a
   * bug: it is logged and left out, never sent.
   */
  publish(reports: DroneTelemetryEvent[]): void {
    for (const report of reports) {
      if (this.conformsToContract(report)) this.enqueue(report);
    }
    const excess = this.pending.length - MAX_PENDING;
    if (excess > 0) {
      for (const dropped of this.pending.splice(0, excess)) this.forget(dropped);
      this.logger.error(`${excess} telemetry report(s) dropped: Kafka has been away too long`);
    }
    this.startSending();
  }

  /** Reports waiting to be sent, the one in flight included. */
  get backlog(): number {
    return this.pending.length + (this.inFlight?.length ?? 0);
  }

  /**
   * Sends what is queued and waits for it, for at most `flushTimeoutMs`; while Kafka is failing,
   * nothing more is tried. Then disconnects; what is left unsent is lost, and said so.
   */
  async close(flushTimeoutMs = 10_000): Promise<void> {
    this.closeRequested = true;
    if (this.failing) this.closing.abort();
    if (!this.closing.signal.aborted) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.sending,
        new Promise((resolve) => this.closing.signal.addEventListener('abort', resolve)),
        new Promise((resolve) => (timer = setTimeout(resolve, flushTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    this.closing.abort();
    // A send or connect under way is not cancelled by the abort (kafkajs' connect retries on its
    // own for seconds): wait until it gives up, so nothing of the publisher runs, or logs, once
    // close() has returned. Bounded, so a broker that hangs cannot hold the shutdown for good.
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.sending,
      new Promise((resolve) => (graceTimer = setTimeout(resolve, IN_FLIGHT_GRACE_MS))),
    ]);
    clearTimeout(graceTimer);
    const unsent = this.backlog;
    if (unsent > 0) this.logger.warn(`${unsent} telemetry report(s) not sent before shutdown`);
    this.pending = [];
    this.latestOfDrone.clear();
    await this.discardProducer();
  }

  /** Made for each connection; a test swaps in its own. */
  protected createProducer(): Producer {
    return createIdempotentProducer({
      clientId: DRONE_MANAGEMENT_SERVICE,
      brokers: this.config.KAFKA_BROKERS,
      tls: kafkaTls(this.config),
    });
  }

  private enqueue(report: DroneTelemetryEvent): void {
    const queued = this.latestOfDrone.get(report.subject);
    if (queued && sameStates(queued.report, report)) {
      queued.report = report;
      return;
    }
    const entry = { report };
    this.pending.push(entry);
    this.latestOfDrone.set(report.subject, entry);
  }

  private forget(entry: Pending): void {
    if (this.latestOfDrone.get(entry.report.subject) === entry) {
      this.latestOfDrone.delete(entry.report.subject);
    }
  }

  private startSending(): void {
    if (this.sending || this.pending.length === 0 || this.closing.signal.aborted) return;
    this.sending = this.sendPending().finally(() => {
      this.sending = undefined;
      // Reports queued after the last batch left.
      this.startSending();
    });
  }

  private async sendPending(): Promise<void> {
    while (this.pending.length > 0 && !this.closing.signal.aborted) {
      const batch = this.pending.splice(0, SEND_BATCH);
      batch.forEach((entry) => this.forget(entry));
      this.inFlight = batch;
      try {
        await this.retryPolicy.execute(({ signal }) => {
          if (signal.aborted) throw new Error('the publisher is closing');
          return this.send(batch.map((entry) => entry.report));
        }, this.closing.signal);
      } catch {
        return; // Only when closing: close() reports what is left.
      } finally {
        this.inFlight = undefined;
      }
      if (this.failing) this.logger.log('Telemetry is published again');
      this.failing = false;
    }
  }

  private async send(reports: DroneTelemetryEvent[]): Promise<void> {
    const producer = await this.connectedProducer();
    try {
      await producer.send({
        topic: TOPICS.droneTelemetry.name,
        acks: -1,
        messages: reports.map((report) => ({
          key: report.subject,
          value: JSON.stringify(report),
        })),
      });
    } catch (error) {
      await this.discardProducer();
      throw error;
    }
  }

  private conformsToContract(report: DroneTelemetryEvent): boolean {
    try {
      parseDroneTelemetry(report);
      return true;
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      this.logger.error(`Telemetry of drone ${report.subject} not sent: ${error.message}`);
      return false;
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.createProducer();
    this.producer = producer;
    try {
      await producer.connect();
    } catch (error) {
      await this.discardProducer();
      throw error;
    }
    return producer;
  }

  /** A producer whose send failed may keep a broken connection or idempotence state: drop it. */
  private async discardProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}

/** Whether `newer` says nothing `older` did not, but where the drone is now (its battery, ETAs). */
function sameStates(older: DroneTelemetryEvent, newer: DroneTelemetryEvent): boolean {
  return (
    older.data.state === newer.data.state &&
    older.data.deliveryId === newer.data.deliveryId &&
    older.data.completedDeliveryId === newer.data.completedDeliveryId
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
