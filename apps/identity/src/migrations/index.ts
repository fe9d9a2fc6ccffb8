import { CreateIdentity1733500000000 } from './1733500000000-create-identity';

/** In order. A migration, once released, is never edited: add a new one. */
export const IDENTITY_MIGRATIONS = [CreateIdentity1733500000000];
