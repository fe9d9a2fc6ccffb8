export { postgresOptions, type PostgresOptions } from './postgres-options';
export {
  POSTGRES_SSL_MODES,
  postgresTls,
  postgresTlsProblem,
  type PostgresTls,
} from './postgres-tls';
export { runMigrations } from './run-migrations';
