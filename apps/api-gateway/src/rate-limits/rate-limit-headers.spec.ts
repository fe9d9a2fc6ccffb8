import { rateLimitHeader, rateLimitPolicyHeader, retryAfterSeconds } from './rate-limit-headers';
import { type BucketState, type RateLimitPolicy } from './rate-limit-policies';

const writes: RateLimitPolicy = { name: 'account-writes', capacity: 20, refillPerSecond: 1 };
const ip: RateLimitPolicy = { name: 'client-ip', capacity: 200, refillPerSecond: 20 };

function state(policy: RateLimitPolicy, remaining: number, retryAfter = 0): BucketState {
  return {
    bucket: { key: policy.name, policy },
    allowed: retryAfter === 0,
    remaining,
    retryAfterSeconds: retryAfter,
  };
}

describe('RateLimit headers (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('names each policy with its quota (the burst) and the seconds to fill it', () => {
    expect(rateLimitPolicyHeader([ip, writes])).toBe(
      '"client-ip";q=200;w=10, "account-writes";q=20;w=20',
    );
  });

  it('gives whole tokens left and whole seconds until each bucket is full', () => {
    expect(rateLimitHeader([state(ip, 199.5), state(writes, 0.25)])).toBe(
      '"client-ip";r=199;t=1, "account-writes";r=0;t=20',
    );
  });

  it('asks for at least a second, rounded up, until every bucket has enough', () => {
    expect(retryAfterSeconds([state(ip, 150), state(writes, 0.25, 0.75)])).toBe(1);
    expect(retryAfterSeconds([state(ip, 0, 0.05), state(writes, 0, 2.1)])).toBe(3);
  });
});
