import type { DataSourceOptions } from 'typeorm';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  entities: NonNullable<PostgresConnectionOptions['entities']>;
  migrations: NonNullable<PostgresConnectionOptions['migrations']>;
  /** Shown in pg_stat_activity, so a DBA can tell which service holds a connection. */
  applicationName: string;
  poolSize?: number;
}

/**
 * The one way services configure TypeORM. The schema only ever changes through migrations
 * (`synchronize` would silently alter tables at start-up), and migrations are run explicitly by
 * `runMigrations` under a lock rather than by `migrationsRun`, so replicas starting together do
 * not race.
 */
export function postgresOptions(options: PostgresOptions): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: options.entities,
    migrations: options.migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    poolSize: options.poolSize ?? 10,
    // Fail fast on a dead server instead of hanging a request for the OS TCP timeout.
    connectTimeoutMS: 5_000,
  };
}
