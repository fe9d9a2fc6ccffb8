import { type EntityManager } from 'typeorm';

/** The inbox table, for a service's migration: one row per (consumer, event) handled. */
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
