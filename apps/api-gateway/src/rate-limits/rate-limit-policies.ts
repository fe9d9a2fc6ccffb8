import { type Caller } from '@drone-delivery/http';
import { type ApiGatewayConfig } from '../config/api-gateway.config';

export type PolicyName = 'account-writes' | 'account-reads' | 'client-ip';

/** A token bucket: `capacity` calls at once (the burst), refilled at `refillPerSecond`. */
export interface RateLimitPolicy {
  name: PolicyName;
  capacity: number;
  refillPerSecond: number;
}

/** One bucket a call draws from: a policy applied to one account, operator or address. */
export interface Bucket {
  key: string;
  policy: RateLimitPolicy;
}

/** What the store says of one bucket after a call drew from it (or was refused). */
export interface BucketState {
  bucket: Bucket;
  allowed: boolean;
  /** Tokens left, fractional. */
  remaining: number;
  /** Seconds until the bucket holds enough for the call; 0 when it does. */
  retryAfterSeconds: number;
}

export type RateLimitPolicies = Record<PolicyName, RateLimitPolicy>;

export function rateLimitPolicies(config: ApiGatewayConfig): RateLimitPolicies {
  const policy = (name: PolicyName, perMinute: number, burst: number): RateLimitPolicy => ({
    name,
    capacity: burst,
    refillPerSecond: perMinute / 60,
  });
  return {
    'account-writes': policy(
      'account-writes',
      config.RATE_LIMIT_WRITE_PER_MINUTE,
      config.RATE_LIMIT_WRITE_BURST,
    ),
    'account-reads': policy(
      'account-reads',
      config.RATE_LIMIT_READ_PER_MINUTE,
      config.RATE_LIMIT_READ_BURST,
    ),
    'client-ip': policy('client-ip', config.RATE_LIMIT_IP_PER_MINUTE, config.RATE_LIMIT_IP_BURST),
  };
}

/**
 * The buckets a call draws from: its client address always; with a verified caller, also that
 * caller's writes or reads bucket. A customer is counted by account (all its clients share the
 * limit); an operator, who has no account, by subject.
 */
export function bucketsFor(
  policies: RateLimitPolicies,
  clientIp: string,
  caller: Caller | undefined,
  write: boolean,
): Bucket[] {
  const buckets: Bucket[] = [{ key: `ip:${clientIp}`, policy: policies['client-ip'] }];
  if (caller) {
    const who = caller.accountId ? `account:${caller.accountId}` : `subject:${caller.subject}`;
    const policy = policies[write ? 'account-writes' : 'account-reads'];
    buckets.push({ key: `${write ? 'writes' : 'reads'}:${who}`, policy });
  }
  return buckets;
}

/** Seconds for an empty bucket to fill up: past this, an untouched bucket is full, as no row. */
export function secondsToFill(policy: RateLimitPolicy): number {
  return Math.ceil(policy.capacity / policy.refillPerSecond);
}
