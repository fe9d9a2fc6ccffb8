import { type EntityManager } from 'typeorm';
import { RetentionPruner, type RetentionPrunerOptions } from '../retention/retention-pruner';

/**
 * The inbox table, for a service's migration, followed by addInboxRetentionSql: one row per
 * (consumer, event) handled.
 */
export function createInboxTableSql(table = 'inbox'): string[] {
  return [
    `CREATE TABLE ${table} (
       consumer text NOT NULL,
       event_id text NOT NULL,
       handled_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer, event_id)
     )`,
  ];
}

/**
 * An index on `handled_at`, for a new migration: the inbox pruner deletes by age (see
 * inboxPruner). A no-op where it ran before.
 */
export function addInboxRetentionSql(table = 'inbox'): string[] {
  return [`CREATE INDEX IF NOT EXISTS ${table}_handled_at ON ${table} (handled_at)`];
}

/**
 * Deletes inbox entries older than `retentionMs` (INBOX_RETENTION_HOURS), now and then.
 *
 * The retention must exceed how long a duplicate can still arrive: the Kafka retention of the
 * topics the inbox deduplicates (7 days by default), plus the time a dead letter may wait for a
 * redrive. An entry pruned earlier lets a late duplicate through as a new event.
 */
export function inboxPruner(
  options: Omit<RetentionPrunerOptions, 'table' | 'timestampColumn'> & { table?: string },
): RetentionPruner {
  return new RetentionPruner({
    ...options,
    table: options.table ?? 'inbox',
    timestampColumn: 'handled_at',
  });
}

/**
 * Records that `consumer` handles `eventId`, inside the transaction that applies the event's
 * effect. Returns false when it was handled before: the caller skips the effect. Because the
 * record and the effect commit together, a redelivered or duplicated event changes nothing.
 */
export async function recordInInbox(
  manager: EntityManager,
  consumer: string,
  eventId: string,
  table = 'inbox',
): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO ${table} (consumer, event_id) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventId],
  );
  return inserted.length === 1;
}
