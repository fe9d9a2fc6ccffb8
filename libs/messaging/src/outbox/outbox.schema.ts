/**
 * The outbox table, for a service's migration, followed by addOutboxLeaseAndRetentionSql (the
 * relay needs both). A service inserts a row in the same transaction
 * as the state change it announces; the OutboxRelay publishes it. `position` orders rows as they
 * were written, so events for one key leave in the order they happened.
 */
export function createOutboxTableSql(table = 'outbox'): string[] {
  return [
    `CREATE TABLE ${table} (
       position bigserial PRIMARY KEY,
       id uuid NOT NULL UNIQUE,
       topic text NOT NULL,
       key text NOT NULL,
       payload jsonb NOT NULL,
       headers jsonb NOT NULL DEFAULT '{}'::jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       published_at timestamptz
     )`,
    // The relay only ever looks for unpublished rows; keep that lookup small as the table grows.
    `CREATE INDEX ${table}_unpublished ON ${table} (position) WHERE published_at IS NULL`,
  ];
}

/**
 * What the relay of today needs on top of createOutboxTableSql's table, for a new migration
 * (existing migrations are never edited; each statement is a no-op where it ran before):
 * - `locked_until`: a relay's lease on the rows it is sending, claimed in a short transaction
 *   of its own, so no transaction stays open while Kafka is called;
 * - an index to find a key's unpublished rows (the claim skips keys another relay holds);
 * - an index to find the published rows that the retention deletes.
 */
export function addOutboxLeaseAndRetentionSql(table = 'outbox'): string[] {
  return [
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS locked_until timestamptz`,
    `CREATE INDEX IF NOT EXISTS ${table}_unpublished_by_key ON ${table} (key, position)
       WHERE published_at IS NULL`,
    `CREATE INDEX IF NOT EXISTS ${table}_published ON ${table} (published_at)
       WHERE published_at IS NOT NULL`,
  ];
}

/** Rows to insert into the outbox: what the relay publishes. */
export interface OutboxMessage {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  headers?: Record<string, string>;
}
