import type { DataSourceOptions } from 'typeorm';
import { postgresTls } from './postgres-tls';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export interface PostgresOptions {
  /**
   * postgres://user:password@host:port/database, with `?sslmode=verify-full` for TLS that checks
   * the server's certificate chain and host name.
   */
  url: string;
  /** PEM file of the CA that signed the server's certificate, when it is a private one. */
  caFile?: string;
  entities: NonNullable<PostgresConnectionOptions['entities']>;
  migrations: NonNullable<PostgresConnectionOptions['migrations']>;
  /** Shown in pg_stat_activity, so a DBA can tell which service holds a connection. */
  applicationName: string;
  poolSize?: number;
  /**
   * Longest a statement may run before Postgres cancels it (57014). A request that waits on a
   * lock or a runaway query then fails and frees its connection instead of holding the pool.
   */
  statementTimeoutMs?: number;
  /**
   * Longest a session may sit idle inside an open transaction (a process that hangs between
   * BEGIN and COMMIT) before Postgres ends it and releases its locks.
   */
  idleInTransactionTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

/**
 * The one way services configure TypeORM. The schema only ever changes through migrations
 * (`synchronize` would silently alter tables at start-up), and migrations are run explicitly by
 * `runMigrations` under a lock rather than by `migrationsRun`, so replicas starting together do
 * not race.
 */
export function postgresOptions(options: PostgresOptions): PostgresConnectionOptions {
  const { url, ssl } = postgresTls(options.url, options.caFile);
  return {
    type: 'postgres',
    url,
    // Top level, not in `extra`, which some services replace with their own.
    ssl,
    applicationName: options.applicationName,
    entities: options.entities,
    migrations: options.migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    poolSize: options.poolSize ?? 10,
    // Fail fast on a dead server instead of hanging a request for the OS TCP timeout.
    connectTimeoutMS: 5_000,
    // Session settings node-postgres sends at connect. Migrations run without the statement
    // timeout (runMigrations), since a schema change on a big table may rightly take longer.
    extra: {
      statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout:
        options.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  };
}
