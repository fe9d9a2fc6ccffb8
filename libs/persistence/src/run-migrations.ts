import { DataSource, type DataSourceOptions, type Migration } from 'typeorm';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/** Arbitrary but fixed: every replica of every service takes the same lock in its own database. */
const MIGRATION_LOCK_KEY = 4_242_001;

/**
 * Applies pending migrations while holding a Postgres advisory lock, so that when several
 * replicas of a service start at once exactly one applies each migration and the others wait,
 * then find nothing left to do. Each migration runs in its own transaction.
 *
 * They run on a short-lived pool of their own, without the service's statement timeout: waiting
 * for another replica's lock, or a schema change on a big table, may rightly take longer than any
 * request should.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const options = dataSource.options as PostgresConnectionOptions;
  const extra = (options.extra ?? {}) as Record<string, unknown>;
  const migrator = new DataSource({
    ...options,
    poolSize: 2,
    extra: { ...extra, statement_timeout: 0 },
  });
  await migrator.initialize();
  try {
    return await migrateUnderLock(migrator);
  } finally {
    await migrator.destroy();
  }
}

async function migrateUnderLock(dataSource: DataSource): Promise<Migration[]> {
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
