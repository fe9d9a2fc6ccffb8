import { type DataSource } from 'typeorm';
import { countOutboxPublished, registerOutboxBacklog } from '@drone-delivery/observability';
import { type Producer } from '../kafka-producer';
import { RetentionPruner } from '../retention/retention-pruner';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  producer: Producer;
  table?: string;
  batchSize?: number;
  /** Pause when the outbox is empty. */
  idleDelayMs?: number;
  /** Longest pause after failures (broker or database down); doubles from 100 ms up to it. */
  maxBackoffMs?: number;
  /**
   * How long a claim keeps other relays off the claimed rows' keys (default 30 s). A relay that
   * dies holding a claim delays those keys by this much; a send that takes longer than this may
   * be repeated by another relay (at least once still holds, and so does the order per key).
   */
  leaseMs?: number;
  /**
   * Published rows older than this are deleted, on a timer (OUTBOX_RETENTION_HOURS). They serve
   * only to look back at what was sent. Unset: kept forever.
   */
  retentionMs?: number;
  /** Pause between prunings of published rows (default 10 min). */
  pruneIntervalMs?: number;
  log?: (level: 'warn' | 'error' | 'log', message: string) => void;
}

interface OutboxRow {
  position: string;
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
  /** The claim's `locked_until`, as Postgres wrote it (to the microsecond). */
  lease: string;
}

/** Namespace of the claim lock (the first half of the two-int advisory lock key). */
const RELAY_LOCK_NAMESPACE = 4_242_002;

/**
 * Publishes outbox rows to Kafka in three steps, none of which holds a transaction open while
 * Kafka is called (a slow broker would otherwise keep row locks and a pooled connection, and
 * hold back vacuum, for as long as it is slow):
 * 1. claim: in one short transaction, lease a batch of unpublished rows (`locked_until`);
 * 2. send the batch and wait for the broker's ack;
 * 3. mark the rows published, in one statement.
 * A crash or an outage anywhere in between leaves the rows unpublished, so they are sent again
 * once the lease runs out: at least once, never lost; consumers deduplicate by event id.
 *
 * Any number of relays may run against one outbox. Claims take turns (an advisory lock held for
 * the claim's few milliseconds), so each claim sees the leases of those before it, and a claim
 * takes only keys that no live lease holds, each from its oldest unpublished row on: a key's
 * rows are with one relay at a time, in order, so its later events cannot overtake its earlier
 * ones.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly batchSize: number;
  private readonly idleDelayMs: number;
  private readonly maxBackoffMs: number;
  private readonly leaseSeconds: number;
  private readonly pruner: RetentionPruner | undefined;
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
    this.leaseSeconds = (options.leaseMs ?? 30_000) / 1_000;
    if (options.retentionMs !== undefined) {
      this.pruner = new RetentionPruner({
        dataSource: options.dataSource,
        table: this.table,
        timestampColumn: 'published_at',
        retentionMs: options.retentionMs,
        intervalMs: options.pruneIntervalMs,
        log: options.log,
      });
    }
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

  private async claimSendAndMark(): Promise<number> {
    const rows = await this.claim();
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    const positions = rows.map((row) => row.position);
    try {
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
    } catch (error) {
      // Free the keys for the next try at once (unless the lease ran out and another relay holds
      // them now); if this fails too, the lease runs out.
      await this.options.dataSource
        .query(
          `UPDATE ${this.table} SET locked_until = NULL
            WHERE position = ANY($1::bigint[]) AND locked_until = $2::timestamptz`,
          [positions, rows[0].lease],
        )
        .catch(() => undefined);
      throw error;
    }
    await this.options.dataSource.query(
      `UPDATE ${this.table} SET published_at = now(), locked_until = NULL
        WHERE position = ANY($1::bigint[])`,
      [positions],
    );
    return rows.length;
  }

  /**
   * Leases the oldest unpublished rows of keys that no live lease holds, up to a batch, in the
   * order they were written.
   */
  private claim(): Promise<OutboxRow[]> {
    return this.options.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        RELAY_LOCK_NAMESPACE,
        this.table,
      ]);
      // A statement of its own, so its snapshot is taken after the lock: it sees every lease
      // that the claims before it committed.
      return manager.query<OutboxRow[]>(
        `WITH claimed AS (
           UPDATE ${this.table} SET locked_until = now() + make_interval(secs => $2)
            WHERE position = ANY(ARRAY(
              SELECT position FROM ${this.table} candidate
               WHERE published_at IS NULL
                 AND NOT EXISTS (
                   SELECT 1 FROM ${this.table} held
                    WHERE held.key = candidate.key
                      AND held.published_at IS NULL
                      AND held.locked_until > now())
               ORDER BY position
               LIMIT $1))
            RETURNING position, id, topic, key, payload, headers, locked_until::text AS lease)
         SELECT * FROM claimed ORDER BY position`,
        [this.batchSize, this.leaseSeconds],
      );
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
    this.pruner?.start();
  }

  /** Deletes published rows older than the retention now; returns how many (0 without one). */
  pruneSent(): Promise<number> {
    return this.pruner?.prune() ?? Promise.resolve(0);
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
    await Promise.all([this.running, this.pruner?.stop()]);
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
