import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { type Caller } from '@drone-delivery/http';
import { ProblemException } from '@drone-delivery/service-defaults';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import {
  RATE_LIMIT_HEADER,
  RATE_LIMIT_POLICY_HEADER,
  rateLimitHeader,
  rateLimitPolicyHeader,
  retryAfterSeconds,
} from './rate-limit-headers';
import {
  type BucketState,
  bucketsFor,
  type PolicyName,
  rateLimitPolicies,
  type RateLimitPolicies,
} from './rate-limit-policies';
import { RateLimitStore } from './rate-limit.store';

export interface RateLimitedCall {
  clientIp: string;
  /** The verified caller, when the call carried a valid token. */
  caller?: Caller;
  write: boolean;
}

interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

const TOO_MANY: Record<PolicyName, string> = {
  'account-writes': 'This account has made too many changes in a short time.',
  'account-reads': 'This account has made too many requests in a short time.',
  'client-ip': 'Too many requests have come from your address in a short time.',
};

/** How often, at most, an unreachable store is logged while it stays unreachable. */
const STORE_DOWN_LOG_INTERVAL_MS = 10_000;

/**
 * Decides whether a call may go on, and says so in the RateLimit headers of every answer.
 *
 * When the store (the database) cannot be reached: reads go on (fail open, logged), writes are
 * refused with a 503 (fail closed). Reads are cheap, and an outage of the limiter must not take the
 * whole API down with it; a write starts a saga that books drones and packages, and an unlimited
 * burst of those is exactly what the limit is there to stop, so writes wait for the store.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly policies: RateLimitPolicies;
  private storeDownLoggedAt = -Infinity;

  constructor(
    private readonly store: RateLimitStore,
    @Inject(API_GATEWAY_CONFIG) private readonly config: ApiGatewayConfig,
  ) {
    this.policies = rateLimitPolicies(config);
  }

  /** Takes a token for the call, or throws the 429 (or 503) problem to answer with. */
  async admit(call: RateLimitedCall, response: HeaderTarget): Promise<void> {
    const buckets = bucketsFor(this.policies, call.clientIp, call.caller, call.write);
    response.setHeader(
      RATE_LIMIT_POLICY_HEADER,
      rateLimitPolicyHeader(buckets.map((bucket) => bucket.policy)),
    );
    let states: BucketState[];
    try {
      states = await this.store.take(buckets);
    } catch (error) {
      this.storeUnavailable(error);
      if (!call.write) return;
      throw new ProblemException(
        {
          type: 'https://drone-delivery.example/problems/rate-limit-unavailable',
          title: 'Changes are paused for a moment',
          status: HttpStatus.SERVICE_UNAVAILABLE,
          detail:
            'We cannot check the request limits right now, so changes are paused. Reading still works; please try again shortly.',
        },
        { 'retry-after': String(this.config.RETRY_AFTER_SECONDS) },
      );
    }
    response.setHeader(RATE_LIMIT_HEADER, rateLimitHeader(states));
    if (states.every((state) => state.allowed)) return;
    // The bucket that ran dry names the limit in the message (the others had enough).
    const dry = states.find((state) => state.retryAfterSeconds > 0) ?? states[0];
    const wait = retryAfterSeconds(states);
    const policy = dry.bucket.policy.name;
    throw new ProblemException(
      {
        type: 'https://drone-delivery.example/problems/rate-limited',
        title: 'Too many requests',
        status: HttpStatus.TOO_MANY_REQUESTS,
        detail: `${TOO_MANY[policy]} Please wait ${wait} second${wait === 1 ? '' : 's'} and try again.`,
      },
      { 'retry-after': String(wait) },
    );
  }

  private storeUnavailable(error: unknown): void {
    const now = Date.now();
    if (now - this.storeDownLoggedAt < STORE_DOWN_LOG_INTERVAL_MS) return;
    this.storeDownLoggedAt = now;
    this.logger.warn(
      `The rate-limit store cannot be reached (${error instanceof Error ? error.message : String(error)}): reads go through unlimited, writes are refused with 503.`,
    );
  }
}
