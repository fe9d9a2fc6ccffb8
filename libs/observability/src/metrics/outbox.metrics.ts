import { Counter, Gauge } from 'prom-client';

/** Rows still unpublished in an outbox table; may reject (the database is down). */
export type BacklogMeasure = () => Promise<number>;

/** A scrape must answer even when the database does not: a slower backlog query is skipped. */
const BACKLOG_TIMEOUT_MS = 2_000;

/** `table` → its measures, latest last; relays of one table measure the same rows. */
const backlogMeasures = new Map<string, BacklogMeasure[]>();

/** outbox_backlog                        gauge {table}: unpublished outbox rows, measured at scrape time. */
new Gauge({
  name: 'outbox_backlog',
  help: 'Unpublished outbox rows, counted when scraped.',
  labelNames: ['table'] as const,
  async collect() {
    // A table whose count fails or times out has no sample in this scrape rather than a stale one.
    this.reset();
    await Promise.all(
      [...backlogMeasures].map(async ([table, measures]) => {
        const rows = await withTimeout(measures[measures.length - 1](), BACKLOG_TIMEOUT_MS).catch(
          () => undefined,
        );
        if (rows !== undefined) this.set({ table }, rows);
      }),
    );
  },
});

/** outbox_published_total                counter {table} */
const outboxPublished = new Counter({
  name: 'outbox_published_total',
  help: 'Outbox rows published to Kafka and marked published.',
  labelNames: ['table'] as const,
});

/**
 * Makes `outbox_backlog{table}` report `measure()` at every scrape, until the returned function
 * is called (a stopped relay).
 */
export function registerOutboxBacklog(table: string, measure: BacklogMeasure): () => void {
  backlogMeasures.set(table, [...(backlogMeasures.get(table) ?? []), measure]);
  return () => {
    const remaining = (backlogMeasures.get(table) ?? []).filter((m) => m !== measure);
    if (remaining.length > 0) backlogMeasures.set(table, remaining);
    else backlogMeasures.delete(table);
  };
}

export function countOutboxPublished(table: string, rows: number): void {
  if (rows > 0) outboxPublished.inc({ table }, rows);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
