import { type BucketState, type RateLimitPolicy, secondsToFill } from './rate-limit-policies';

/**
 * The RateLimit header fields of draft-ietf-httpapi-ratelimit-headers (-10 to -12): Structured
 * Field lists, one item per policy, named by a quoted identifier.
 *   RateLimit-Policy: "account-writes";q=20;w=20, "client-ip";q=200;w=10
 *   RateLimit: "account-writes";r=19;t=1, "client-ip";r=199;t=1
 * A token bucket maps onto them as: q the bucket's size (the burst), w the seconds an empty bucket
 * takes to fill (so q/w is the sustained rate), r the whole tokens left, t the seconds until full.
 */
export const RATE_LIMIT_POLICY_HEADER = 'ratelimit-policy';
export const RATE_LIMIT_HEADER = 'ratelimit';

export function rateLimitPolicyHeader(policies: RateLimitPolicy[]): string {
  return policies
    .map((policy) => `"${policy.name}";q=${policy.capacity};w=${secondsToFill(policy)}`)
    .join(', ');
}

export function rateLimitHeader(states: BucketState[]): string {
  return states
    .map(({ bucket: { policy }, remaining }) => {
      const reset = Math.max(0, Math.ceil((policy.capacity - remaining) / policy.refillPerSecond));
      return `"${policy.name}";r=${Math.max(0, Math.floor(remaining))};t=${reset}`;
    })
    .join(', ');
}

/** Retry-After of a refused call: whole seconds, at least 1, until every bucket has enough. */
export function retryAfterSeconds(states: BucketState[]): number {
  return Math.max(1, Math.ceil(Math.max(...states.map((state) => state.retryAfterSeconds))));
}
