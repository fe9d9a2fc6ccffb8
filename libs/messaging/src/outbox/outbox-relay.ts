import { type DataSource } from 'typeorm';
import { countOutboxPublished, registerOutboxBacklog } from '@drone-delivery/observability';
import { type Producer } from '../kafka-producer';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  producer: Producer;
  table?: string;
  batchSize?: number;
  /** Pause when the outbox is empty. */
  idleDelayMs?: number;
  /** Longest pause after failures (broker or database down); doubles from 100 ms up to it. */
  maxBackoffMs?: number;
  log?: (level: 'warn' | 'error' | 'log', message: string) => void;
}

interface OutboxRow {
  position: string;
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
}

/** Namespace of the per-key advisory locks (the first half of the two-int lock key). */
const RELAY_LOCK_NAMESPACE = 4_242_002;

/**
 * Publishes outbox rows to Kafka: claims a batch, sends it and waits for the broker's ack, marks
 * it published, commits. A crash or a broker outage anywhere in between leaves the rows
 * unpublished, so they are sent again later: at least once, never lost; consumers deduplicate by
 * event id. Any number of relays may run against one outbox:
 * - `FOR UPDATE SKIP LOCKED`: two relays never claim the same row;
 * - a transaction-scoped advisory lock per key: while one relay holds rows of a key, the others
 *   skip that key entirely, so a key's later events cannot overtake its earlier ones.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly batchSize: number;
  private readonly idleDelayMs: number;
  private readonly maxBackoffMs: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  /** A notify() that came while a batch was being sent: the next pause is skipped. */
  private notified = false;
  /** Set while running: stops `outbox_backlog` asking this relay. */
  private unregisterBacklog: (() => void) | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = options.table ?? 'outbox';
    if (!/^[a-z_][a-z0-9_]*$/.test(this.table))
      throw new Error(`bad outbox table name ${this.table}`);
    this.batchSize = options.batchSize ?? 100;
    this.idleDelayMs = options.idleDelayMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  /** Claims, sends and marks one batch; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    // Rows committed from now on are seen by this batch or trigger the next one.
    this.notified = false;
    const published = await this.claimSendAndMark();
    // Counted once committed: a batch rolled back is sent again and counted then.
    countOutboxPublished(this.table, published);
    return published;
  }

  private claimSendAndMark(): Promise<number> {
    return this.options.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT position, id, topic, key, payload, headers FROM ${this.table}
          WHERE published_at IS NULL
            AND pg_try_advisory_xact_lock(${RELAY_LOCK_NAMESPACE}, hashtext(key))
          ORDER BY position
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, OutboxRow[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      await this.options.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, topicRows]) => ({
          topic,
          messages: topicRows.map((row) => ({
            key: row.key,
            value: JSON.stringify(row.payload),
            headers: row.headers,
          })),
        })),
      });
      await manager.query(
        `UPDATE ${this.table} SET published_at = now() WHERE position = ANY($1::bigint[])`,
        [rows.map((row) => row.position)],
      );
      return rows.length;
    });
  }

  /** Rows written but not yet published: `outbox_backlog`, measured at each scrape. */
  async backlog(): Promise<number> {
    const [{ count }] = await this.options.dataSource.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM ${this.table} WHERE published_at IS NULL`,
    );
    return count;
  }

  /** Publishes continuously until stop(). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.unregisterBacklog ??= registerOutboxBacklog(this.table, () => this.backlog());
    this.running = this.loop();
  }

  /** Nudges an idle relay, e.g. right after a commit that wrote outbox rows. */
  notify(): void {
    this.notified = true;
    this.wake?.();
  }

  /**
   * Stops after publishing what is already there (graceful shutdown flushes the outbox), or after
   * `flushTimeoutMs` if the broker is unreachable; unpublished rows wait for the next start.
   */
  async stop(flushTimeoutMs = 5_000): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
    // A stopped relay measures nothing more: its DataSource may be destroyed next.
    this.unregisterBacklog?.();
    this.unregisterBacklog = undefined;
    const deadline = Date.now() + flushTimeoutMs;
    while (Date.now() < deadline) {
      try {
        if ((await this.publishBatch()) === 0) return;
      } catch (error) {
        this.log('warn', `outbox flush stopped: ${describe(error)}`);
        return;
      }
    }
  }

  private async loop(): Promise<void> {
    let backoffMs = 0;
    while (!this.stopping) {
      try {
        const published = await this.publishBatch();
        if (backoffMs > 0) this.log('log', 'outbox relay recovered');
        backoffMs = 0;
        if (published === this.batchSize) continue;
        await this.pause(this.idleDelayMs);
      } catch (error) {
        backoffMs = Math.min(this.maxBackoffMs, Math.max(100, backoffMs * 2));
        this.log('warn', `outbox relay failed, retrying in ${backoffMs} ms: ${describe(error)}`);
        await this.pause(backoffMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.notified || this.stopping) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private log(level: 'warn' | 'error' | 'log', message: string): void {
    this.options.log?.(level, message);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
