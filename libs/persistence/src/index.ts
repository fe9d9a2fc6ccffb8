export { postgresOptions, type PostgresOptions } from './postgres-options';
export { runMigrations } from './run-migrations';
