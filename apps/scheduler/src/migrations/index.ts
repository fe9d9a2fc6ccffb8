import { CreateSagaLog1732400000000 } from './1732400000000-create-saga-log';

/** In order. A migration, once released, is never edited: add a new one. */
export const SCHEDULER_MIGRATIONS = [CreateSagaLog1732400000000];
