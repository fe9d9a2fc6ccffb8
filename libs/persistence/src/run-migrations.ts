import type { DataSource, Migration } from 'typeorm';

/** Arbitrary but fixed: every replica of every service takes the same lock in its own database. */
const MIGRATION_LOCK_KEY = 4_242_001;

/**
 * Applies pending migrations while holding a Postgres advisory lock, so that when several
 * replicas of a service start at once exactly one applies each migration and the others wait,
 * then find nothing left to do. Each migration runs in its own transaction.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    // A session-level lock lives on one connection; the migrations run on others from the pool.
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lockHolder.release();
  }
}
