import { once } from 'node:events';
import { createServer } from 'node:net';
import { FakePublicApi, NO_DRONE_PROBLEM, scheduledDelivery } from '../test/fake-public-api';
import { randomDeliveryRequest } from './delivery-requests';
import { ApiUnreachableError, PublicApiClient, type RetryNotice } from './public-api.client';

const DELIVERY_ID = '0199a000-0000-7000-8000-0000000000aa';
const SCHEDULE = /^\/api\/v1\/deliveries$/;

describe('PublicApiClient', () => {
  let api: FakePublicApi;
  let client: PublicApiClient;

  beforeEach(async () => {
    api = new FakePublicApi();
    const url = await api.start();
    client = new PublicApiClient({ schedulerUrl: url, deliveryUrl: url, historyUrl: url });
  });
  afterEach(() => api.stop());

  const schedule = (deadlineMs = 10_000, onRetry?: (notice: RetryNotice) => void) =>
    client.scheduleDelivery(randomDeliveryRequest(), {
      idempotencyKey: 'key-1',
      deadline: Date.now() + deadlineMs,
      onRetry,
    });

  it('retries a 503 after its Retry-After, with the same Idempotency-Key', async () => {
    let calls = 0;
    api.on('POST', SCHEDULE, () =>
      ++calls === 1
        ? { status: 503, headers: { 'retry-after': '1' }, body: NO_DRONE_PROBLEM }
        : { status: 201, body: scheduledDelivery(DELIVERY_ID) },
    );
    const notices: RetryNotice[] = [];

    const result = await schedule(10_000, (notice) => notices.push(notice));

    expect(result).toMatchObject({ kind: 'scheduled', attempts: 2 });
    expect(result.kind === 'scheduled' && result.delivery.deliveryId).toBe(DELIVERY_ID);
    const [first, second] = api.requests;
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    expect([first.headers['idempotency-key'], second.headers['idempotency-key']]).toEqual([
      'key-1',
      'key-1',
    ]);
    expect(notices).toEqual([{ status: 503, waitMs: 1_000, problem: NO_DRONE_PROBLEM }]);
  });

  it('retries a 429 too', async () => {
    let calls = 0;
    api.on('POST', SCHEDULE, () =>
      ++calls === 1
        ? {
            status: 429,
            headers: { 'retry-after': '0' },
            body: { ...NO_DRONE_PROBLEM, status: 429 },
          }
        : { status: 201, body: scheduledDelivery(DELIVERY_ID) },
    );

    await expect(schedule()).resolves.toMatchObject({ kind: 'scheduled', attempts: 2 });
  });

  it('gives up at once when the Retry-After would pass the deadline', async () => {
    api.on('POST', SCHEDULE, () => ({
      status: 503,
      headers: { 'retry-after': '30' },
      body: NO_DRONE_PROBLEM,
    }));
    let retried = false;

    // A 30 s Retry-After against a 2 s deadline: waiting at all would be pointless.
    const result = await schedule(2_000, () => (retried = true));

    expect(result).toEqual({ kind: 'gave-up', problem: NO_DRONE_PROBLEM, attempts: 1 });
    expect(retried).toBe(false);
  });

  it('returns the problem document of a refusal without retrying', async () => {
    const suspended = {
      type: 'https://drone-delivery.example/problems/account-suspended',
      title: 'The account is suspended',
      status: 422,
      detail: 'Account 2222 is suspended and may not schedule deliveries.',
    };
    api.on('POST', SCHEDULE, () => ({ status: 422, body: suspended }));

    await expect(schedule()).resolves.toEqual({
      kind: 'rejected',
      problem: suspended,
      attempts: 1,
    });
    expect(api.requests).toHaveLength(1);
  });

  it('reads an empty history as 404 and a status', async () => {
    api.on('GET', /\/history$/, () => ({ status: 404, body: { title: 'x' } }));
    api.on('GET', /^\/api\/v1\/deliveries\/[^/]+$/, () => ({
      status: 200,
      body: { deliveryId: DELIVERY_ID, stage: 'InTransit' },
    }));

    await expect(client.history(DELIVERY_ID)).resolves.toEqual([]);
    await expect(client.status(DELIVERY_ID)).resolves.toMatchObject({ stage: 'InTransit' });
  });

  it('says which services do not answer, and why', async () => {
    const closedUrl = await closedPortUrl();
    api.on('GET', /^\/health\/live$/, () => ({ status: 200, body: { status: 'ok' } }));
    const partly = new PublicApiClient({
      schedulerUrl: closedUrl,
      deliveryUrl: client.urls.deliveryUrl,
      historyUrl: client.urls.historyUrl,
    });

    const unreachable = await partly.unreachableServices();

    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toBeInstanceOf(ApiUnreachableError);
    expect(unreachable[0].message).toMatch(
      /^Cannot reach the scheduler at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );
  });

  it('counts a service that is live but not ready as not there yet, with its status', async () => {
    api.on('GET', /^\/health\/live$/, () => ({ status: 200, body: { status: 'ok' } }));
    api.on('GET', /^\/health\/ready$/, () => ({ status: 503, body: { status: 'error' } }));

    await expect(client.unreachableServices('live')).resolves.toEqual([]);
    const notReady = await client.unreachableServices('ready');
    expect(notReady.map((error) => error.message)).toEqual([
      `Cannot reach the scheduler at ${client.urls.schedulerUrl}: /health/ready answered 503`,
      `Cannot reach delivery at ${client.urls.deliveryUrl}: /health/ready answered 503`,
      `Cannot reach delivery-history at ${client.urls.historyUrl}: /health/ready answered 503`,
    ]);
  });

  it('gives up on a request that gets no answer in requestTimeoutMs, saying so', async () => {
    api.on('GET', /\/history$/, () => new Promise(() => undefined));
    const impatient = new PublicApiClient({ ...client.urls, requestTimeoutMs: 200 });

    await expect(impatient.history(DELIVERY_ID)).rejects.toThrow(/no answer within 200 ms/);
  });

  it('throws ApiUnreachableError when the scheduler is not listening', async () => {
    const closed = new PublicApiClient({
      schedulerUrl: await closedPortUrl(),
      deliveryUrl: client.urls.deliveryUrl,
      historyUrl: client.urls.historyUrl,
    });

    await expect(
      closed.scheduleDelivery(randomDeliveryRequest(), {
        idempotencyKey: 'key-2',
        deadline: Date.now() + 10_000,
      }),
    ).rejects.toThrow(ApiUnreachableError);
  });
});

/** A URL on which nothing listens: a port taken from the OS, then let go. */
async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
