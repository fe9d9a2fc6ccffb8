import { CreateSagaLog1732400000000 } from './1732400000000-create-saga-log';
import { ScopeIdempotencyKeysPerAccount1732800000000 } from './1732800000000-scope-idempotency-keys-per-account';

/** In order. A migration, once released, is never edited: add a new one. */
export const SCHEDULER_MIGRATIONS = [
  CreateSagaLog1732400000000,
  ScopeIdempotencyKeysPerAccount1732800000000,
];
