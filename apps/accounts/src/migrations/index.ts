import { CreateAccounts1732300000000 } from './1732300000000-create-accounts';

/** In order. A migration, once released, is never edited: add a new one. */
export const ACCOUNTS_MIGRATIONS = [CreateAccounts1732300000000];
