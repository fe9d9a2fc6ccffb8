import { once } from 'node:events';
import { createServer } from 'node:net';
import {
  FakePublicApi,
  NO_DRONE_PROBLEM,
  scheduledDelivery,
  TEST_CREDENTIALS,
} from '../test/fake-public-api';
import { randomDeliveryRequest } from './delivery-requests';
import { TokenRequestError } from './client-credentials';
import { ApiUnreachableError, PublicApiClient, type RetryNotice } from './public-api.client';

const DELIVERY_ID = '0199a000-0000-7000-8000-0000000000aa';
const SCHEDULE = /^\/api\/v1\/deliveries$/;

describe('PublicApiClient', () => {
  let api: FakePublicApi;
  let client: PublicApiClient;

  beforeEach(async () => {
    api = new FakePublicApi();
    const url = await api.start();
    client = new PublicApiClient({ gatewayUrl: url, credentials: TEST_CREDENTIALS });
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
    const [first, second] = api.apiRequests;
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
    expect(api.apiRequests).toHaveLength(1);
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

  it('sends every API call with the access token of its client, fetched once', async () => {
    api.on('POST', SCHEDULE, () => ({ status: 201, body: scheduledDelivery(DELIVERY_ID) }));
    api.on('GET', /\/history$/, () => ({ status: 200, body: [] }));

    await schedule();
    await client.history(DELIVERY_ID);

    expect(api.tokensIssued).toBe(1);
    const tokenRequest = api.requests.find((request) => request.path === '/identity/token');
    expect(tokenRequest?.body).toBe('grant_type=client_credentials');
    expect(api.apiRequests.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
    ]);
  });

  it('gets a new token and tries once more when the API answers 401', async () => {
    api.on('GET', /\/history$/, (request) =>
      request.headers.authorization === 'Bearer token-1'
        ? { status: 401, body: { type: 'about:blank', title: 'Unauthorized', status: 401 } }
        : { status: 200, body: [] },
    );

    await expect(client.history(DELIVERY_ID)).resolves.toEqual([]);

    expect(api.apiRequests.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('says why when the token endpoint refuses its credentials', async () => {
    const wrong = new PublicApiClient({
      gatewayUrl: client.gatewayUrl,
      credentials: { clientId: 'test-client', clientSecret: 'wrong' },
    });

    const refusal = wrong.history(DELIVERY_ID);

    await expect(refusal).rejects.toThrow(TokenRequestError);
    await expect(refusal).rejects.toThrow(/401: invalid_client: client authentication failed/);
    expect(api.apiRequests).toHaveLength(0);
  });

  it('says the gateway does not answer, and why', async () => {
    const closed = new PublicApiClient({
      gatewayUrl: await closedPortUrl(),
      credentials: TEST_CREDENTIALS,
    });

    const unreachable = await closed.unreachableServices();

    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toBeInstanceOf(ApiUnreachableError);
    expect(unreachable[0].message).toMatch(
      /^Cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );
  });

  it('is ready when the gateway is, a token can be had and each service answers through it', async () => {
    api.on('GET', /^\/health\/(live|ready)$/, () => ({ status: 200, body: { status: 'ok' } }));
    let up = false;
    api.on('GET', /^\/api\/v1\//, () =>
      up ? { status: 404, body: { title: 'x' } } : { status: 503, body: { title: 'y' } },
    );

    await expect(client.unreachableServices('live')).resolves.toEqual([]);
    const notReady = await client.unreachableServices('ready');
    expect(notReady.map((error) => error.service)).toEqual([
      'the scheduler',
      'delivery',
      'delivery-history',
    ]);
    expect(notReady[0].message).toMatch(/GET \/api\/v1\/delivery-requests\/\S+ answered 503$/);
    up = true;
    await expect(client.unreachableServices('ready')).resolves.toEqual([]);
  });

  it('is not ready while the gateway is not, and says so with its status', async () => {
    api.on('GET', /^\/health\/ready$/, () => ({ status: 503, body: { status: 'error' } }));

    const notReady = await client.unreachableServices('ready');

    expect(notReady.map((error) => error.message)).toEqual([
      `Cannot reach the gateway at ${client.gatewayUrl}: /health/ready answered 503`,
    ]);
  });

  it('gives up on a request that gets no answer in requestTimeoutMs, saying so', async () => {
    api.on('GET', /\/history$/, () => new Promise(() => undefined));
    const impatient = new PublicApiClient({
      gatewayUrl: client.gatewayUrl,
      credentials: TEST_CREDENTIALS,
      requestTimeoutMs: 200,
    });

    await expect(impatient.history(DELIVERY_ID)).rejects.toThrow(/no answer within 200 ms/);
  });

  it('throws ApiUnreachableError when the gateway is not listening', async () => {
    const closed = new PublicApiClient({
      gatewayUrl: await closedPortUrl(),
      credentials: TEST_CREDENTIALS,
    });

    await expect(
      closed.scheduleDelivery(randomDeliveryRequest(), {
        idempotencyKey: 'key-2',
        deadline: Date.now() + 10_000,
      }),
    ).rejects.toThrow(ApiUnreachableError);
  });
});

async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
