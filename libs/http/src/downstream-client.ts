import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';
import {
  observeDownstreamRequest,
  registerCircuitBreaker,
  secondsSince,
  statusClass,
} from '@drone-delivery/observability';
import { CORRELATION_ID_HEADER, currentCorrelationId } from './correlation-id';
import { type ServiceTokens } from './service-tokens';

export interface DownstreamPolicy {
  /** Time allowed to one attempt, headers and body. */
  attemptTimeoutMs: number;
  /** Time allowed to the whole call, retries and waits included: the caller's budget. */
  totalTimeoutMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Consecutive failed attempts that open the circuit. */
  breakerThreshold: number;
  /** How long an open circuit fails fast before it lets one trial call through. */
  breakerHalfOpenAfterMs: number;
  /** Calls in flight to this downstream at once, and calls allowed to wait for a slot. */
  maxConcurrent: number;
  maxQueued: number;
}

export const DEFAULT_DOWNSTREAM_POLICY: DownstreamPolicy = {
  attemptTimeoutMs: 2_000,
  totalTimeoutMs: 5_000,
  maxAttempts: 3,
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 5_000,
  maxConcurrent: 32,
  maxQueued: 256,
};

export interface DownstreamOptions {
  /** The downstream service's name; also the audience of the tokens sent to it. */
  name: string;
  baseUrl: string;
  policy?: Partial<DownstreamPolicy>;
}

export interface DownstreamRequest {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST';
  path: string;
  body?: unknown;
  correlationId?: string;
}

export interface DownstreamResponse<T = unknown> {
  status: number;
  body: T;
}

export type UnavailableReason =
  'timeout' | 'circuit-open' | 'overloaded' | 'unreachable' | 'server-error';

/**
 * The downstream could not give an answer: it is down, slow, failing or shedding load. Callers
 * treat this as "try again later" (a 503 with Retry-After at the public edge). An answer the
 * downstream did give, such as a 404 or a 409, is a DownstreamResponse instead.
 */
export class DownstreamUnavailableError extends Error {
  constructor(
    readonly downstream: string,
    readonly reason: UnavailableReason,
    detail: string,
    /** What the downstream asked for (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${downstream} is unavailable (${reason}): ${detail}`);
    this.name = 'DownstreamUnavailableError';
  }
}

/** An answer worth another attempt: the downstream or a proxy in front of it is overloaded. */
class RetryableStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    readonly response: DownstreamResponse,
  ) {
    super(`HTTP ${status}`);
  }
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

function isTransient(error: unknown): boolean {
  return (
    error instanceof RetryableStatusError ||
    error instanceof TaskCancelledError ||
    // fetch reports refused connections, resets and DNS failures as a TypeError.
    error instanceof TypeError
  );
}

/**
 * The one way a service calls another over HTTP. Each call carries a service token and the
 * correlation id, and runs inside the downstream's policies, outermost first:
 * total budget → concurrency limit → retries (exponential backoff with full jitter, or the
 * downstream's Retry-After) → circuit breaker → per-attempt timeout. The budget is outermost so
 * that time spent queued for a concurrency slot counts against it: a call never outlives it.
 *
 * Only failures that say nothing about the request itself are retried: network errors,
 * timeouts, 429 (unless a problem document explains it), 502, 503 and 504. Internal writes are idempotent PUTs and DELETEs keyed by the
 * caller's ids, which is what makes retrying them safe.
 */
export class DownstreamClient {
  readonly name: string;
  private readonly policy: DownstreamPolicy;
  private readonly breaker;
  private readonly pipeline: IPolicy;

  constructor(
    private readonly options: DownstreamOptions,
    private readonly tokens: ServiceTokens,
  ) {
    this.name = options.name;
    this.policy = { ...DEFAULT_DOWNSTREAM_POLICY, ...options.policy };
    const p = this.policy;
    this.breaker = circuitBreaker(handleWhen(isTransient), {
      halfOpenAfter: p.breakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(p.breakerThreshold),
    });
    const retries = retry(handleWhen(isTransient), {
      maxAttempts: p.maxAttempts - 1,
      backoff: new DelegateBackoff((context) => {
        const error = 'error' in context.result ? context.result.error : undefined;
        if (error instanceof RetryableStatusError && error.retryAfterMs !== undefined) {
          return Math.min(error.retryAfterMs, p.maxBackoffMs);
        }
        const ceiling = Math.min(p.maxBackoffMs, p.initialBackoffMs * 2 ** (context.attempt - 1));
        return Math.round(Math.random() * ceiling);
      }),
    });
    this.pipeline = wrap(
      timeout(p.totalTimeoutMs, TimeoutStrategy.Aggressive),
      bulkhead(p.maxConcurrent, p.maxQueued),
      retries,
      this.breaker,
      timeout(p.attemptTimeoutMs, TimeoutStrategy.Aggressive),
    );
    registerCircuitBreaker(this.name, () => this.circuitState);
  }

  /** `closed`, `open`, `half-open` or `isolated`; exported as a metric. */
  get circuitState(): string {
    return CircuitState[this.breaker.state].replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  }

  async request<T = unknown>(request: DownstreamRequest): Promise<DownstreamResponse<T>> {
    const started = performance.now();
    try {
      return (await this.pipeline.execute(({ signal }) =>
        this.attempt(request, signal),
      )) as DownstreamResponse<T>;
    } catch (error) {
      // Refused by this side's own policies (open breaker, full bulkhead): nothing was sent.
      if (error instanceof BrokenCircuitError || error instanceof BulkheadRejectedError) {
        observeDownstreamRequest(this.name, 'rejected', secondsSince(started));
      }
      throw this.toUnavailable(error);
    }
  }

  private async attempt(
    request: DownstreamRequest,
    signal: AbortSignal,
  ): Promise<DownstreamResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.tokens.tokenFor(this.options.name)}`,
      accept: 'application/json',
    };
    const correlationId = request.correlationId ?? currentCorrelationId();
    if (correlationId) headers[CORRELATION_ID_HEADER] = correlationId;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(request.path, this.options.baseUrl), {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      // Refused, reset, timed out (the signal) or cut off mid-body: no response to class.
      observeDownstreamRequest(this.name, 'error', secondsSince(started));
      throw error;
    }
    observeDownstreamRequest(this.name, statusClass(response.status), secondsSince(started));
    const result: DownstreamResponse = {
      status: response.status,
      body:
        text.length > 0 && isJson(response.headers.get('content-type')) ? JSON.parse(text) : text,
    };
    if (RETRYABLE_STATUSES.has(response.status) && !isRefusal(response)) {
      throw new RetryableStatusError(
        response.status,
        parseRetryAfterMs(response.headers.get('retry-after')),
        result,
      );
    }
    return result;
  }

  private toUnavailable(error: unknown): DownstreamUnavailableError {
    const name = this.options.name;
    if (error instanceof DownstreamUnavailableError) return error;
    if (error instanceof BrokenCircuitError) {
      return new DownstreamUnavailableError(
        name,
        'circuit-open',
        'recent calls failed; failing fast',
        Math.ceil(this.policy.breakerHalfOpenAfterMs / 1000),
      );
    }
    if (error instanceof BulkheadRejectedError) {
      return new DownstreamUnavailableError(name, 'overloaded', 'too many calls in flight', 1);
    }
    if (error instanceof TaskCancelledError) {
      return new DownstreamUnavailableError(name, 'timeout', 'no answer in time');
    }
    if (error instanceof RetryableStatusError) {
      return new DownstreamUnavailableError(
        name,
        'server-error',
        `answered ${error.status}`,
        error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000),
      );
    }
    if (error instanceof TypeError) {
      const cause = (error as TypeError & { cause?: { code?: string } }).cause;
      return new DownstreamUnavailableError(name, 'unreachable', cause?.code ?? error.message);
    }
    // Anything else is a bug here (e.g. a body that is not JSON), not the downstream's state.
    throw error;
  }
}

/**
 * A 429 explained by a problem document is the downstream refusing this request under a rule of
 * its own (a quota of the account, say): an answer for the caller to map, not overload. Retrying
 * it within this call's budget cannot help, and it says nothing about the downstream's health,
 * so it is returned, not retried, and not counted by the breaker. A bare 429 (a proxy shedding
 * load) is retried like a 503.
 */
function isRefusal(response: Response): boolean {
  return (
    response.status === 429 &&
    /^application\/problem\+json\b/.test(response.headers.get('content-type') ?? '')
  );
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && /[/+]json\b/.test(contentType);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
