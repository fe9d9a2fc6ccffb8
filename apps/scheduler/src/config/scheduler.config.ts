import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { type DownstreamPolicy } from '@drone-delivery/http';
import {
  ConfigurationError,
  loadEnvironment,
  PublicApiConfig,
} from '@drone-delivery/service-defaults';
import { SAGA_STEPS, type SagaStep } from '../scheduling/saga-steps';

const SERVICE_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

/** Every setting of the scheduler, from the environment, checked at start-up. */
export class SchedulerConfig extends PublicApiConfig {
  override PORT = 3001;

  /** Base URLs of the services the saga calls, e.g. `http://accounts:3002`. */
  @IsUrl(SERVICE_URL) ACCOUNTS_URL!: string;
  @IsUrl(SERVICE_URL) PACKAGE_URL!: string;
  @IsUrl(SERVICE_URL) DRONE_MANAGEMENT_URL!: string;
  @IsUrl(SERVICE_URL) DELIVERY_URL!: string;

  /** Time allowed to one attempt of a downstream call. */
  @Type(() => Number) @IsInt() @Min(1) DOWNSTREAM_TIMEOUT_MS: number = 2_000;
  /** The budget of one downstream call, retries and backoff included. */
  @Type(() => Number) @IsInt() @Min(1) DOWNSTREAM_TOTAL_TIMEOUT_MS: number = 5_000;
  /** Attempts per downstream call, the first included. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10) DOWNSTREAM_MAX_ATTEMPTS: number = 3;
  /** Consecutive failed attempts that open a downstream's circuit. */
  @Type(() => Number) @IsInt() @Min(1) BREAKER_THRESHOLD: number = 5;
  /** How long an open circuit fails fast before it lets a trial call through. */
  @Type(() => Number) @IsInt() @Min(1) BREAKER_HALF_OPEN_MS: number = 5_000;
  /** Calls in flight to one downstream at once. */
  @Type(() => Number) @IsInt() @Min(1) DOWNSTREAM_MAX_CONCURRENT: number = 32;

  /**
   * How long a saga belongs to the process running it without news from it. Renewed at every
   * step, so it must outlast one downstream call (DOWNSTREAM_TOTAL_TIMEOUT_MS); once it lapses,
   * the recovery sweep of any replica may take the saga over.
   */
  @Type(() => Number) @IsInt() @Min(100) SAGA_LEASE_MS: number = 10_000;
  /** Pause between recovery sweeps over unfinished sagas. */
  @Type(() => Number) @IsInt() @Min(50) SAGA_RECOVERY_INTERVAL_MS: number = 5_000;
  /** Unfinished sagas one sweep takes on at most. */
  @Type(() => Number) @IsInt() @Min(1) SAGA_RECOVERY_BATCH_SIZE: number = 20;
  /**
   * Asynchronous requests (`Prefer: respond-async`) one scheduler runs at once; beyond it a new
   * one gets 503 + Retry-After instead of growing the backlog without bound.
   */
  @Type(() => Number) @IsInt() @Min(1) ASYNC_SAGAS_MAX_PENDING: number = 100;
  /** Retry-After (seconds) of a 503 when the failing service did not say how long to wait. */
  @Type(() => Number) @IsInt() @Min(1) RETRY_AFTER_SECONDS: number = 5;

  /**
   * Test hook for the crash test: the process kills itself (SIGKILL, nothing cleans up) right
   * after it has persisted this saga step, as a crash at the worst moment would. Refused unless
   * NODE_ENV is `test`.
   */
  @IsOptional() @IsIn(SAGA_STEPS) SAGA_CRASH_AFTER_STEP?: SagaStep;

  @IsOptional() @IsString() NODE_ENV?: string;
}

export function loadSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const config = loadEnvironment(SchedulerConfig, env);
  const problems: string[] = [];
  if (config.SAGA_LEASE_MS <= config.DOWNSTREAM_TOTAL_TIMEOUT_MS) {
    // A lease shorter than one call would let a second replica take over a saga still running.
    problems.push('SAGA_LEASE_MS: must be longer than DOWNSTREAM_TOTAL_TIMEOUT_MS');
  }
  if (config.SAGA_CRASH_AFTER_STEP !== undefined && config.NODE_ENV !== 'test') {
    problems.push('SAGA_CRASH_AFTER_STEP: a test hook, only allowed with NODE_ENV=test');
  }
  if (problems.length > 0) {
    throw new ConfigurationError(problems);
  }
  return config;
}

/** The resilience policy of every downstream call, from the settings above. */
export function downstreamPolicy(config: SchedulerConfig): Partial<DownstreamPolicy> {
  return {
    attemptTimeoutMs: config.DOWNSTREAM_TIMEOUT_MS,
    totalTimeoutMs: config.DOWNSTREAM_TOTAL_TIMEOUT_MS,
    maxAttempts: config.DOWNSTREAM_MAX_ATTEMPTS,
    breakerThreshold: config.BREAKER_THRESHOLD,
    breakerHalfOpenAfterMs: config.BREAKER_HALF_OPEN_MS,
    maxConcurrent: config.DOWNSTREAM_MAX_CONCURRENT,
  };
}
