import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DRONE_MANAGEMENT_SERVICE,
  type DroneTelemetryEvent,
  EventValidationError,
  parseDroneTelemetry,
  TOPICS,
} from '@drone-delivery/contracts';
import { createIdempotentProducer, type Producer } from '@drone-delivery/messaging';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';

/** Reports held while the broker is slow or away; beyond this the oldest are dropped. */
const MAX_BACKLOG = 10_000;
/** Reports per send. */
const SEND_BATCH = 500;

/**
 * Publishes telemetry reports to `drone.telemetry.v1`, keyed by droneId, in the order they were
 * handed over: one send in flight at a time, each awaited until the broker acknowledged it
 * (`acks: -1`). Sending runs beside the simulator's ticks, so a slow or absent Kafka never holds
 * up the flights; reports it cannot take are lost, which a sample stream read by state allows.
 * A fresh producer is made after a failure, so an outage ends by itself once the broker is back.
 */
@Injectable()
export class TelemetryPublisher {
  private readonly logger = new Logger(TelemetryPublisher.name);
  private producer: Producer | undefined;
  private backlog: DroneTelemetryEvent[] = [];
  private sending: Promise<void> | undefined;
  private failing = false;
  private closing = false;

  constructor(@Inject(DRONE_MANAGEMENT_CONFIG) private readonly config: DroneManagementConfig) {}

  /**
   * Queues the reports for sending and returns at once. A report that breaks the contract is a
   * bug: it is logged and left out, never sent.
   */
  publish(reports: DroneTelemetryEvent[]): void {
    this.backlog.push(...reports.filter((report) => this.conformsToContract(report)));
    const excess = this.backlog.length - MAX_BACKLOG;
    if (excess > 0) {
      this.backlog.splice(0, excess);
      this.logger.warn(`${excess} telemetry report(s) dropped: Kafka is not keeping up`);
    }
    this.startSending();
  }

  /**
   * Sends what is queued and waits for the send under way, for at most `flushTimeoutMs`; while
   * Kafka is failing, nothing more is tried. Then disconnects.
   */
  async close(flushTimeoutMs = 10_000): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.sending,
      new Promise((resolve) => (timer = setTimeout(resolve, flushTimeoutMs))),
    ]);
    clearTimeout(timer);
    this.backlog = [];
    await this.discardProducer();
  }

  private startSending(): void {
    if (this.sending || this.backlog.length === 0) return;
    this.sending = this.sendBacklog().finally(() => {
      this.sending = undefined;
      // Reports queued after the last batch left.
      this.startSending();
    });
  }

  private async sendBacklog(): Promise<void> {
    while (this.backlog.length > 0 && !(this.closing && this.failing)) {
      const batch = this.backlog.splice(0, SEND_BATCH);
      try {
        await this.send(batch);
        if (this.failing) this.logger.log('Telemetry is published again');
        this.failing = false;
      } catch (error) {
        this.failing = true;
        this.logger.warn(
          `${batch.length} telemetry report(s) lost, the flights go on: ${describe(error)}`,
        );
      }
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
    const producer = createIdempotentProducer({
      clientId: DRONE_MANAGEMENT_SERVICE,
      brokers: this.config.KAFKA_BROKERS,
    });
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
