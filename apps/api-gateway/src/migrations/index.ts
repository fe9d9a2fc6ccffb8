import { CreateRateLimitBuckets1733200000000 } from './1733200000000-create-rate-limit-buckets';

/** In order. A migration, once released, is never edited: add a new one. */
export const API_GATEWAY_MIGRATIONS = [CreateRateLimitBuckets1733200000000];
