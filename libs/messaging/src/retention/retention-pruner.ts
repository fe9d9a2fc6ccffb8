import { type DataSource } from 'typeorm';

export interface RetentionPrunerOptions {
  dataSource: DataSource;
  /** The table to prune, e.g. `inbox`. */
  table: string;
  /** Its timestamp column: rows whose value is older than the retention go; NULL rows stay. */
  timestampColumn: string;
  retentionMs: number;
  /** Pause between prunings (default 10 min). */
  intervalMs?: number;
  /** Rows per DELETE (default 1 000): short statements, short locks, a small WAL burst each. */
  batchSize?: number;
  log?: (level: 'warn' | 'log', message: string) => void;
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Deletes old rows of a bookkeeping table (sent outbox rows, handled inbox entries) in batches,
 * now and then, so it does not grow forever. A failed pruning is logged and tried again at the
 * next interval: nothing depends on it being on time.
 */
export class RetentionPruner {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: RetentionPrunerOptions) {
    for (const name of [options.table, options.timestampColumn]) {
      if (!NAME.test(name)) throw new Error(`bad table or column name ${name}`);
    }
    if (!(options.retentionMs > 0)) throw new Error('the retention must be positive');
    this.intervalMs = options.intervalMs ?? 600_000;
    this.batchSize = options.batchSize ?? 1_000;
  }

  /** Deletes every row older than the retention, batch by batch; returns how many. */
  async prune(): Promise<number> {
    const { table, timestampColumn } = this.options;
    let deleted = 0;
    for (;;) {
      const [{ count }] = await this.options.dataSource.query<[{ count: number }]>(
        `WITH pruned AS (
           DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM ${table}
              WHERE ${timestampColumn} < now() - make_interval(secs => $1)
              LIMIT $2))
           RETURNING 1)
         SELECT count(*)::int AS count FROM pruned`,
        [this.options.retentionMs / 1_000, this.batchSize],
      );
      deleted += count;
      if (count < this.batchSize) return deleted;
    }
  }

  /** Prunes at once, then every interval, until stop(). */
  start(): void {
    if (this.timer || this.running) return;
    const run = () => {
      this.running = this.prune()
        .then((deleted) => {
          if (deleted > 0) this.log('log', `pruned ${deleted} old row(s) of ${this.options.table}`);
        })
        .catch((error: unknown) =>
          this.log('warn', `pruning ${this.options.table} failed: ${String(error)}`),
        )
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(run, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(run, 0).unref();
  }

  /** Stops the timer and waits for a pruning under way, so the DataSource can close next. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** As a Nest provider, it runs while the app does (Nest calls these hooks). */
  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private log(level: 'warn' | 'log', message: string): void {
    this.options.log?.(level, message);
  }
}
