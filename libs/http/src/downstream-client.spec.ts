/**
 * DownstreamClient's metrics against a real HTTP server: `circuit_breaker_state` follows the
 * breaker through closed, open, half-open and closed again, and every attempt is timed by
 * status class, `error` or `rejected`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { metricSampleValue, renderMetrics } from '@drone-delivery/observability';
import { waitFor, testSigningKey } from '@drone-delivery/testing';
import { DownstreamClient } from './downstream-client';
import { ServiceTokens } from './service-tokens';

const tokens = new ServiceTokens({
  serviceName: 'scheduler',
  signingKey: testSigningKey(),
});

/** One attempt per call, so each call is one observation and one breaker outcome. */
const POLICY = {
  maxAttempts: 1,
  breakerThreshold: 2,
  breakerHalfOpenAfterMs: 200,
  attemptTimeoutMs: 2_000,
  totalTimeoutMs: 3_000,
};

/** The downstream: answers `status`, or holds each request until `release` is called. */
class FakeDownstream {
  status = 200;
  hold = false;
  private held: ServerResponse[] = [];
  private readonly server: Server = createServer((_: IncomingMessage, response) => {
    if (this.hold) this.held.push(response);
    else this.answer(response);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get waiting(): number {
    return this.held.length;
  }

  release(): void {
    this.hold = false;
    this.held.forEach((response) => this.answer(response));
    this.held = [];
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(response: ServerResponse): void {
    response.writeHead(this.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: this.status }));
  }
}

async function breakerState(downstream: string): Promise<number | undefined> {
  return metricSampleValue(await renderMetrics(), 'circuit_breaker_state', { downstream });
}

async function attempts(downstream: string, outcome: string): Promise<number | undefined> {
  return metricSampleValue(await renderMetrics(), 'downstream_request_duration_seconds_count', {
    downstream,
    outcome,
  });
}

describe('DownstreamClient metrics', () => {
  const server = new FakeDownstream();
  let client: DownstreamClient;

  beforeAll(async () => {
    client = new DownstreamClient(
      { name: 'accounts', baseUrl: await server.start(), policy: POLICY },
      tokens,
    );
  });

  afterAll(async () => {
    await server.stop();
  });

  const call = () => client.request({ method: 'GET', path: '/accounts/a-1' });

  it('reports the breaker closed, open, half-open during the trial call, then closed', async () => {
    expect((await call()).status).toBe(200);
    expect(await breakerState('accounts')).toBe(0);

    server.status = 503;
    for (let failure = 1; failure <= POLICY.breakerThreshold; failure++) {
      await expect(call()).rejects.toMatchObject({ reason: 'server-error' });
    }
    expect(client.circuitState).toBe('open');
    expect(await breakerState('accounts')).toBe(2);

    await expect(call()).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(await attempts('accounts', 'rejected')).toBe(1);

    // After halfOpenAfter the next call is the trial; held, it keeps the breaker half-open.
    await new Promise((resolve) => setTimeout(resolve, POLICY.breakerHalfOpenAfterMs + 50));
    server.status = 200;
    server.hold = true;
    const trial = call();
    await waitFor(() => server.waiting === 1, { timeoutMs: 5_000, description: 'the trial call' });
    expect(await breakerState('accounts')).toBe(1);

    server.release();
    expect((await trial).status).toBe(200);
    expect(await breakerState('accounts')).toBe(0);
  });

  it('times each attempt by the class of its status', async () => {
    const before = (await attempts('accounts', '2xx')) ?? 0;
    server.status = 404;
    expect((await call()).status).toBe(404);
    server.status = 200;
    expect((await call()).status).toBe(200);
    expect(await attempts('accounts', '2xx')).toBe(before + 1);
    expect(await attempts('accounts', '4xx')).toBe(1);
    expect(await attempts('accounts', '5xx')).toBe(2);
  });

  it('times attempts that got no response as `error`', async () => {
    const silent = new FakeDownstream();
    const slow = new DownstreamClient(
      {
        name: 'packages',
        baseUrl: await silent.start(),
        policy: { ...POLICY, attemptTimeoutMs: 100 },
      },
      tokens,
    );
    silent.hold = true;
    try {
      await expect(slow.request({ method: 'GET', path: '/packages/p-1' })).rejects.toMatchObject({
        reason: 'timeout',
      });
      expect(await attempts('packages', 'error')).toBe(1);
      expect(await attempts('packages', '2xx')).toBeUndefined();
    } finally {
      await silent.stop();
    }
  });

  // No wall-clock bound is asserted: without the budget each call below would wait ten minutes,
  // so a missing budget fails the test by its timeout, not by a race against a loaded machine.
  describe('the total budget', () => {
    const NEVER_MS = 600_000;

    it('ends a call whose attempts would take far longer', async () => {
      const silent = new FakeDownstream();
      silent.hold = true;
      const hung = new DownstreamClient(
        {
          name: 'budget-attempts',
          baseUrl: await silent.start(),
          policy: { ...POLICY, maxAttempts: 3, attemptTimeoutMs: NEVER_MS, totalTimeoutMs: 200 },
        },
        tokens,
      );
      try {
        await expect(hung.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
          reason: 'timeout',
        });
      } finally {
        await silent.stop();
      }
    });

    it('counts the time a call waits for a concurrency slot against its budget', async () => {
      const BUDGET_MS = 1_000;
      const realFetch = globalThis.fetch;
      const sent: string[] = [];
      // A downstream that never answers; an attempt ends only when its signal is aborted.
      globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
        sent.push(new URL(input instanceof Request ? input.url : input).pathname);
        return new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      };
      const client = new DownstreamClient(
        {
          name: 'budget-queue',
          baseUrl: 'http://127.0.0.1:9',
          policy: {
            ...POLICY,
            maxConcurrent: 1,
            maxQueued: 1,
            attemptTimeoutMs: NEVER_MS,
            totalTimeoutMs: BUDGET_MS,
          },
        },
        tokens,
      );
      // The clock is the test's: "within the budget" is an order of events, not a race.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      try {
        const outcome = (call: Promise<unknown>) => {
          const seen = { settled: false, error: undefined as unknown };
          call.catch((error: unknown) => Object.assign(seen, { settled: true, error }));
          return seen;
        };
        const holder = outcome(client.request({ method: 'GET', path: '/holder' }));
        while (sent.length === 0) await new Promise((resolve) => setImmediate(resolve));
        // Queued behind the holder for the whole of its budget, the slot freed only as it ends.
        const queued = outcome(client.request({ method: 'GET', path: '/queued' }));

        await jest.advanceTimersByTimeAsync(BUDGET_MS);
        expect(holder).toMatchObject({ settled: true, error: { reason: 'timeout' } });
        expect(queued).toMatchObject({ settled: true, error: { reason: 'timeout' } });
      } finally {
        jest.useRealTimers();
        globalThis.fetch = realFetch;
      }
    });
  });
});

describe('DownstreamClient and a 429', () => {
  let calls = 0;
  let contentType = 'application/problem+json';
  const server = createServer((_, response) => {
    calls += 1;
    response.writeHead(429, { 'content-type': contentType, 'retry-after': '30' });
    response.end(
      JSON.stringify({ type: 'https://example.test/quota', title: 'Quota', status: 429 }),
    );
  });
  let client: DownstreamClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new DownstreamClient(
      {
        name: 'quota-keeper',
        baseUrl,
        policy: { maxAttempts: 2, maxBackoffMs: 10, breakerThreshold: 2 },
      },
      tokens,
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const call = () => client.request({ method: 'PUT', path: '/deliveries/d-1', body: {} });

  it('returns a 429 explained by a problem document at once, without opening the circuit', async () => {
    calls = 0;
    for (let refusal = 1; refusal <= 3; refusal++) {
      expect(await call()).toMatchObject({
        status: 429,
        body: { type: 'https://example.test/quota' },
      });
    }
    expect(calls).toBe(3);
    expect(client.circuitState).toBe('closed');
  });

  it('retries a bare 429 like a 503', async () => {
    calls = 0;
    contentType = 'text/plain';
    await expect(call()).rejects.toMatchObject({ reason: 'server-error', retryAfterSeconds: 30 });
    expect(calls).toBe(2);
  });
});
