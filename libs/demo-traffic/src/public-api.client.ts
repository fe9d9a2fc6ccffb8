import {
  type DeliveryEventName,
  type DeliveryStatusView,
  isProblemDetails,
  type ProblemDetails,
} from '@drone-delivery/contracts';
import {
  type ClientCredentials,
  ClientCredentialsTokens,
  TokenRequestError,
} from './client-credentials';
import { type ScheduleDeliveryRequest } from './delivery-requests';
import { retryAfterMs } from './retry-after';

/** 201 of `POST /api/v1/deliveries`. */
export interface ScheduledDelivery {
  deliveryId: string;
  packageId: string;
  droneId: string;
  stage: 'Created';
  pickupEta: string;
  dropoffEta: string;
}

/** One entry of `GET /api/v1/deliveries/{id}/history` (delivery-history). */
export interface HistoryEntry {
  eventId: string;
  type: DeliveryEventName;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** `GET /api/v1/deliveries/{id}` (delivery): the contract's public status view. */
export type DeliveryStatus = DeliveryStatusView;

export type ScheduleResult =
  | { kind: 'scheduled'; delivery: ScheduledDelivery; attempts: number }
  /** A final answer other than 201: the request was refused or went wrong (the problem says). */
  | { kind: 'rejected'; problem: ProblemDetails; attempts: number }
  /** Still 503/429 when the deadline came (or the next Retry-After would pass it). */
  | { kind: 'gave-up'; problem: ProblemDetails; attempts: number };

export interface RetryNotice {
  status: number;
  waitMs: number;
  problem: ProblemDetails;
}

export interface ScheduleOptions {
  /** Sent as Idempotency-Key, so a retried POST never books a second delivery. */
  idempotencyKey: string;
  /** Epoch ms after which no more attempts are made. */
  deadline: number;
  signal?: AbortSignal;
  onRetry?: (notice: RetryNotice) => void;
}

/** A service did not answer at all (connection refused, DNS, timeout): no HTTP status to report. */
export class ApiUnreachableError extends Error {
  constructor(
    readonly service: string,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Cannot reach ${service} at ${url}: ${reason}`);
    this.name = 'ApiUnreachableError';
  }
}

/** A service answered with a status the caller cannot use. */
export class ApiResponseError extends Error {
  constructor(
    readonly url: string,
    readonly problem: ProblemDetails,
  ) {
    super(`${url} answered ${problemSummary(problem)}`);
    this.name = 'ApiResponseError';
  }
}

/** `503 Service Unavailable: No drone is free… (Every drone…)`: a problem in one line. */
export function problemSummary(problem: ProblemDetails): string {
  const fields = (problem.errors ?? []).map((error) => `${error.field} ${error.message}`);
  return [
    `${problem.status} ${problem.title}`,
    problem.detail && ` — ${problem.detail}`,
    fields.length > 0 && ` [${fields.join('; ')}]`,
  ]
    .filter(Boolean)
    .join('');
}

/** Statuses that mean "not now": retried after Retry-After. */
const RETRYABLE_STATUSES = new Set([429, 503]);
/** Without a Retry-After, the wait before retrying a 503/429. */
const DEFAULT_RETRY_MS = 1_000;
/** A POST that got no answer (network error, timeout) is retried this often before giving up. */
const NETWORK_ATTEMPTS = 3;

export interface PublicApiClientOptions {
  /** The api-gateway: every public route, and the identity provider under `/identity`. */
  gatewayUrl: string;
  /** The API client of the account this client acts for. */
  credentials: ClientCredentials;
  /** The OAuth token endpoint; by default the gateway's `/identity/token`. */
  tokenUrl?: string;
  /**
   * Time allowed to one HTTP request (default 30 s). Generous: a saga makes four calls, each
   * with its own retries, and a busy machine is slow before it is broken.
   */
  requestTimeoutMs?: number;
}

/** Time allowed to a /health/live check: a live service answers it at once. */
const HEALTH_TIMEOUT_MS = 5_000;

const GATEWAY = 'the gateway';
/** An id no delivery has: reading it costs each service one indexed lookup. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
/** One public read per service behind the gateway, to see that each one answers. */
const READINESS_PROBES = [
  ['the scheduler', `/api/v1/delivery-requests/${NO_SUCH_ID}`],
  ['delivery', `/api/v1/deliveries/${NO_SUCH_ID}`],
  ['delivery-history', `/api/v1/deliveries/${NO_SUCH_ID}/history`],
] as const;

/**
 * The public HTTP API as a client sees it, through the api-gateway with an access token of its
 * account (client credentials): schedule a delivery (retrying 503 and 429 after their
 * Retry-After), read a delivery's history and status, and check that the gateway answers.
 */
export class PublicApiClient {
  readonly gatewayUrl: string;
  readonly tokenUrl: string;
  private readonly requestTimeoutMs: number;
  private readonly tokens: ClientCredentialsTokens;

  constructor(options: PublicApiClientOptions) {
    this.gatewayUrl = trimSlash(options.gatewayUrl);
    this.tokenUrl = options.tokenUrl ?? `${this.gatewayUrl}/identity/token`;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.tokens = new ClientCredentialsTokens(this.tokenUrl, options.credentials, (url, init) =>
      this.request('identity', url, init, HEALTH_TIMEOUT_MS, false),
    );
  }

  /**
   * Why the API cannot be used yet, empty when it can: the gateway does not answer
   * `GET /health/live` (or, `check: 'ready'`, `/health/ready`) with 200; and, for `ready`, no
   * access token can be had, or a public service behind the gateway does not answer yet (a read
   * of an id that cannot exist: any answer below 500, a 404 as expected, means it is up).
   */
  async unreachableServices(check: 'live' | 'ready' = 'live'): Promise<ApiUnreachableError[]> {
    const problems: ApiUnreachableError[] = [];
    try {
      const response = await this.request(
        GATEWAY,
        `${this.gatewayUrl}/health/${check}`,
        { method: 'GET' },
        HEALTH_TIMEOUT_MS,
        false,
      );
      await response.body?.cancel();
      if (!response.ok) {
        problems.push(
          new ApiUnreachableError(
            GATEWAY,
            this.gatewayUrl,
            `/health/${check} answered ${response.status}`,
          ),
        );
      }
    } catch (error) {
      if (!(error instanceof ApiUnreachableError)) throw error;
      problems.push(error);
    }
    if (check === 'ready' && problems.length === 0) {
      try {
        await this.tokens.token();
      } catch (error) {
        if (error instanceof ApiUnreachableError) problems.push(error);
        else if (error instanceof TokenRequestError) {
          problems.push(new ApiUnreachableError('identity', this.tokenUrl, error.message));
        } else throw error;
      }
    }
    if (check === 'ready' && problems.length === 0) {
      const probes = await Promise.all(
        READINESS_PROBES.map(async ([service, path]) => {
          try {
            const response = await this.request(
              GATEWAY,
              `${this.gatewayUrl}${path}`,
              { method: 'GET' },
              HEALTH_TIMEOUT_MS,
            );
            await response.body?.cancel();
            return response.status < 500
              ? undefined
              : new ApiUnreachableError(
                  service,
                  this.gatewayUrl,
                  `GET ${path} answered ${response.status}`,
                );
          } catch (error) {
            if (error instanceof ApiUnreachableError) return error;
            throw error;
          }
        }),
      );
      problems.push(...probes.filter((probe) => probe !== undefined));
    }
    return problems;
  }

  /**
   * `POST /api/v1/deliveries`, retried while the answer is 503 or 429 (after its Retry-After)
   * and after network errors (a few times), always with the same Idempotency-Key.
   */
  async scheduleDelivery(
    request: ScheduleDeliveryRequest,
    options: ScheduleOptions,
  ): Promise<ScheduleResult> {
    const url = `${this.gatewayUrl}/api/v1/deliveries`;
    let networkFailures = 0;
    for (let attempts = 1; ; attempts++) {
      let response: Response;
      try {
        response = await this.request(GATEWAY, url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': options.idempotencyKey,
          },
          body: JSON.stringify(request),
          signal: options.signal,
        });
      } catch (error) {
        networkFailures += 1;
        const waitMs = 500 * 2 ** networkFailures;
        if (
          !(error instanceof ApiUnreachableError) ||
          networkFailures >= NETWORK_ATTEMPTS ||
          Date.now() + waitMs > options.deadline
        ) {
          throw error;
        }
        await sleep(waitMs, options.signal);
        continue;
      }
      const body = await readJson(response);
      if (response.status === 201) {
        return { kind: 'scheduled', delivery: body as ScheduledDelivery, attempts };
      }
      const problem = asProblem(response, body);
      if (!isRetryable(response, problem)) return { kind: 'rejected', problem, attempts };
      const waitMs = retryAfterMs(response.headers.get('retry-after')) ?? DEFAULT_RETRY_MS;
      if (Date.now() + waitMs > options.deadline) return { kind: 'gave-up', problem, attempts };
      options.onRetry?.({ status: response.status, waitMs, problem });
      await sleep(waitMs, options.signal);
    }
  }

  /** `GET /api/v1/deliveries/{id}/history`; empty until delivery-history has an event of it. */
  async history(deliveryId: string, signal?: AbortSignal): Promise<HistoryEntry[]> {
    const body = await this.getJson(
      `${this.gatewayUrl}/api/v1/deliveries/${encodeURIComponent(deliveryId)}/history`,
      signal,
    );
    return (body ?? []) as HistoryEntry[];
  }

  /** `GET /api/v1/deliveries/{id}` (delivery's status API); undefined when it is unknown. */
  async status(deliveryId: string, signal?: AbortSignal): Promise<DeliveryStatus | undefined> {
    const body = await this.getJson(
      `${this.gatewayUrl}/api/v1/deliveries/${encodeURIComponent(deliveryId)}`,
      signal,
    );
    return body as DeliveryStatus | undefined;
  }

  /** A GET's JSON body; undefined for 404; ApiResponseError for any other failure status. */
  private async getJson(url: string, signal?: AbortSignal): Promise<unknown> {
    const response = await this.request(GATEWAY, url, { method: 'GET', signal });
    const body = await readJson(response);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new ApiResponseError(url, asProblem(response, body));
    return body;
  }

  /**
   * fetch with a timeout and (`authorized`) the access token; a 401 gets a new token and one
   * more try (the token may have expired on the way). No answer at all becomes
   * ApiUnreachableError, saying why.
   */
  private async request(
    service: string,
    url: string,
    init: RequestInit,
    timeoutMs = this.requestTimeoutMs,
    authorized = true,
  ): Promise<Response> {
    if (!authorized) return this.send(service, url, init, timeoutMs);
    const token = await this.tokens.token();
    const withToken = (bearer: string): RequestInit => ({
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${bearer}` },
    });
    const response = await this.send(service, url, withToken(token), timeoutMs);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    this.tokens.invalidate(token);
    return this.send(service, url, withToken(await this.tokens.token()), timeoutMs);
  }

  private async send(
    service: string,
    url: string,
    init: RequestInit,
    timeoutMs: number,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await fetch(url, { ...init, signal });
    } catch (error) {
      // The caller's own abort (shutdown) is not the service's fault: let it through as is.
      if (init.signal?.aborted) throw error;
      const base = new URL(url).origin;
      const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : networkReason(error);
      throw new ApiUnreachableError(service, base, reason);
    }
  }
}

/** Node's fetch says "fetch failed"; the useful part (ECONNREFUSED 127.0.0.1:3001) is the cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.message) return cause.message;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}

function isRetryable(response: Response, problem: ProblemDetails): boolean {
  if (RETRYABLE_STATUSES.has(response.status)) return true;
  // Our own earlier attempt with this Idempotency-Key is still running (409 + Retry-After).
  return (
    response.status === 409 &&
    response.headers.has('retry-after') &&
    problem.type.endsWith('/request-in-progress')
  );
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The answer's problem document, or one made up from its status when it sent none. */
function asProblem(response: Response, body: unknown): ProblemDetails {
  if (isProblemDetails(body)) return body;
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    ...(typeof body === 'string' && body.length > 0 && { detail: body.slice(0, 200) }),
  };
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Resolves after `ms`, or rejects at once with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
