/**
 * The outbox table, for a service's migration. A service inserts a row in the same transaction
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

/** Rows to insert into the outbox: what the relay publishes. */
export interface OutboxMessage {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  headers?: Record<string, string>;
}
