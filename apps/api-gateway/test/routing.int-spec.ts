import { randomUUID } from 'node:crypto';
import { type ProblemDetails } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  testKafkaBrokers,
} from '@drone-delivery/testing';
import { FakeService, openApiWith, type ReceivedRequest } from './fake-services';

/**
 * The gateway as a real process in front of fake services: where each call goes, what it
 * carries there and back, the token check before anything is forwarded, and what a client sees
 * when a service is down or silent.
 */

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const DELIVERY = randomUUID();

interface Fakes {
  scheduler: FakeService;
  delivery: FakeService;
  deliveryTwin: FakeService;
  history: FakeService;
  identity: FakeService;
  journal: ReceivedRequest[];
}

async function startFakes(): Promise<Fakes> {
  const journal: ReceivedRequest[] = [];
  const scheduler = new FakeService(
    'scheduler',
    journal,
    openApiWith('scheduler', ['/api/v1/delivery-requests/{requestId}', '/internal/v1/sagas']),
  );
  const deliveryDocs = openApiWith('delivery', ['/api/v1/deliveries/{deliveryId}']);
  const delivery = new FakeService('delivery', journal, deliveryDocs, '127.0.0.1');
  const history = new FakeService(
    'delivery-history',
    journal,
    openApiWith('delivery-history', ['/api/v1/delivery-history']),
  );
  const identity = new FakeService('identity', journal, {});
  await Promise.all([scheduler.start(), delivery.start(), history.start(), identity.start()]);
  // The second delivery instance: same port, another loopback address, one name for both.
  const deliveryTwin = new FakeService(
    'delivery',
    journal,
    deliveryDocs,
    '127.0.0.2',
    delivery.listeningPort,
  );
  await deliveryTwin.start();
  return { scheduler, delivery, deliveryTwin, history, identity, journal };
}

interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

async function call<T = unknown>(
  gateway: ServiceProcess,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer<T>> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: options.headers,
    body: options.body,
    redirect: 'manual',
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** A JWT with `alg: none` and no signature: must never be taken for a token. */
function unsignedToken(issuer: TestIssuer): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
    iss: issuer.issuer,
    aud: issuer.audience,
    sub: 'intruder',
    scope: 'operator',
    iat: now,
    exp: now + 300,
  })}.`;
}

const PUBLIC_CALLS: { method: string; path: string; service: string; body?: object }[] = [
  {
    method: 'POST',
    path: '/api/v1/deliveries',
    service: 'scheduler',
    body: { accountId: ACCOUNT },
  },
  {
    method: 'PATCH',
    path: `/api/v1/deliveries/${DELIVERY}`,
    service: 'scheduler',
    body: { deadline: '2030-01-01T00:00:00Z' },
  },
  { method: 'DELETE', path: `/api/v1/deliveries/${DELIVERY}`, service: 'scheduler' },
  { method: 'GET', path: `/api/v1/delivery-requests/${DELIVERY}`, service: 'scheduler' },
  { method: 'GET', path: `/api/v1/deliveries/${DELIVERY}`, service: 'delivery' },
  {
    method: 'POST',
    path: `/api/v1/deliveries/${DELIVERY}/notifications`,
    service: 'delivery',
    body: { email: 'a@example.com' },
  },
  { method: 'GET', path: `/api/v1/deliveries/${DELIVERY}/history`, service: 'delivery-history' },
  {
    method: 'GET',
    path: '/api/v1/delivery-history?accountId=x&limit=5',
    service: 'delivery-history',
  },
];

describe('api-gateway routing', () => {
  let issuer: TestIssuer;
  let database: TestDatabase;
  let fakes: Fakes;
  let gateway: ServiceProcess;
  let bearer: string;

  beforeAll(async () => {
    [issuer, database, fakes] = await Promise.all([
      startTestIssuer(),
      createTestDatabase('api_gateway_routing'),
      startFakes(),
    ]);
    gateway = await startServiceProcess({
      app: 'api-gateway',
      env: {
        DATABASE_URL: database.url,
        LOG_LEVEL: 'error',
        ...issuer.env,
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        SCHEDULER_URL: fakes.scheduler.url,
        DELIVERY_URL: `http://delivery.test:${fakes.delivery.listeningPort}`,
        DELIVERY_HISTORY_URL: fakes.history.url,
        IDENTITY_URL: fakes.identity.url,
        SERVICE_ADDRESSES_OVERRIDE: 'delivery.test=127.0.0.1,127.0.0.2',
        DOWNSTREAM_TIMEOUT_MS: '1000',
        DOCS_CACHE_MS: '0',
      },
    });
    bearer = await issuer.bearer({ accountId: ACCOUNT });
  });

  afterEach(() => {
    fakes.journal.splice(0);
    for (const fake of [fakes.scheduler, fakes.delivery, fakes.deliveryTwin, fakes.history]) {
      fake.reset();
    }
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(
      [fakes?.scheduler, fakes?.delivery, fakes?.deliveryTwin, fakes?.history, fakes?.identity].map(
        (fake) => fake?.stop(),
      ),
    );
    await Promise.all([issuer?.stop(), database?.drop()]);
  });

  describe.each(PUBLIC_CALLS)('$method $path', ({ method, path, service, body }) => {
    it(`goes to ${service} with method, path, query, body and headers intact, and its answer comes back`, async () => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const key = randomUUID();
      const answer = await call(gateway, method, path, {
        headers: {
          authorization: bearer,
          ...(text && { 'content-type': 'application/json' }),
          'idempotency-key': key,
          prefer: 'respond-async',
          accept: 'application/json',
        },
        body: text,
      });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ service, method, url: path });
      expect(fakes.journal).toHaveLength(1);
      const [received] = fakes.journal;
      expect(received).toMatchObject({ service, method, url: path, body: text ?? '' });
      expect(received.headers).toMatchObject({
        authorization: bearer,
        'idempotency-key': key,
        prefer: 'respond-async',
        accept: 'application/json',
        ...(text && { 'content-type': 'application/json' }),
      });
    });

    it.each([
      ['no token', () => Promise.resolve(undefined)],
      ['an expired token', () => issuer.bearer({ accountId: ACCOUNT, expiresInSeconds: -60 })],
      ['a forged token', async () => `Bearer ${await issuer.forgedToken({ accountId: ACCOUNT })}`],
      ['a token for another audience', () => issuer.bearer({ accountId: ACCOUNT, audience: 'x' })],
      ['an unsigned (alg: none) token', () => Promise.resolve(`Bearer ${unsignedToken(issuer)}`)],
    ])('answers 401 to %s, and nothing is forwarded', async (_, authorization) => {
      const token = await authorization();
      const answer = await call<ProblemDetails>(gateway, method, path, {
        headers: { ...(token && { authorization: token }), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(answer.body.status).toBe(401);
      expect(fakes.journal).toEqual([]);
    });
  });

  it('answers 403 to a token without a usable scope, and forwards nothing', async () => {
    const answer = await call<ProblemDetails>(gateway, 'GET', `/api/v1/deliveries/${DELIVERY}`, {
      headers: { authorization: await issuer.bearer({ scope: 'customer' }) },
    });

    expect(answer.status).toBe(403);
    expect(answer.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect(fakes.journal).toEqual([]);
  });

  it("passes a service's answer through unchanged: status, Location, Retry-After and body", async () => {
    fakes.scheduler.answerWith({
      status: 202,
      headers: { location: `/api/v1/delivery-requests/${DELIVERY}`, 'retry-after': '3' },
      body: { requestId: DELIVERY },
    });

    const answer = await call(gateway, 'POST', '/api/v1/deliveries', {
      headers: {
        authorization: bearer,
        'content-type': 'application/json',
        prefer: 'respond-async',
      },
      body: '{}',
    });

    expect(answer.status).toBe(202);
    expect(answer.headers.get('location')).toBe(`/api/v1/delivery-requests/${DELIVERY}`);
    expect(answer.headers.get('retry-after')).toBe('3');
    expect(answer.body).toEqual({ requestId: DELIVERY });
  });

  it("passes a service's problem through as it is", async () => {
    const problem = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'completed' };
    fakes.scheduler.answerWith({
      status: 409,
      headers: { 'content-type': 'application/problem+json' },
      body: problem,
    });

    const answer = await call(gateway, 'DELETE', `/api/v1/deliveries/${DELIVERY}`, {
      headers: { authorization: bearer },
    });

    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toEqual(problem);
  });

  it('forwards a correlation id, generating one when the client sent none, and echoes it', async () => {
    const given = await call(gateway, 'GET', `/api/v1/deliveries/${DELIVERY}`, {
      headers: { authorization: bearer, 'x-correlation-id': 'client-chosen-id' },
    });
    const generated = await call(gateway, 'GET', `/api/v1/deliveries/${DELIVERY}`, {
      headers: { authorization: bearer },
    });

    expect(given.headers.get('x-correlation-id')).toBe('client-chosen-id');
    const id = generated.headers.get('x-correlation-id');
    expect(id).toMatch(/^[\w.:-]+$/);
    expect(fakes.journal.map((request) => request.headers['x-correlation-id'])).toEqual([
      'client-chosen-id',
      id,
    ]);
  });

  it('sets X-Forwarded-For, -Proto and -Host itself, ignoring what the client wrote', async () => {
    await call(gateway, 'GET', `/api/v1/deliveries/${DELIVERY}`, {
      headers: {
        authorization: bearer,
        'x-forwarded-for': '203.0.113.66',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      },
    });

    expect(fakes.journal[0].headers).toMatchObject({
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': `127.0.0.1:${gateway.port}`,
    });
  });

  it('spreads calls over every address a service name resolves to, in turn', async () => {
    for (let i = 0; i < 4; i++) {
      const answer = await call(gateway, 'GET', `/api/v1/deliveries/${DELIVERY}`, {
        headers: { authorization: bearer },
      });
      expect(answer.status).toBe(200);
    }

    const addresses = fakes.journal.map((request) => request.address);
    expect(addresses.filter((address) => address === '127.0.0.1')).toHaveLength(2);
    expect(addresses.filter((address) => address === '127.0.0.2')).toHaveLength(2);
  });

  it('forwards /identity/* unchanged and without a token, saying where the client came from', async () => {
    const form = 'grant_type=client_credentials&client_id=contoso';
    const answer = await call(gateway, 'POST', '/identity/token?x=1', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });

    expect(answer.status).toBe(200);
    expect(fakes.journal).toHaveLength(1);
    expect(fakes.journal[0]).toMatchObject({
      service: 'identity',
      method: 'POST',
      url: '/identity/token?x=1',
      body: form,
    });
    expect(fakes.journal[0].headers).toMatchObject({
      'x-forwarded-proto': 'http',
      'x-forwarded-host': `127.0.0.1:${gateway.port}`,
    });
  });

  it('answers 404 with a problem for any other path under /api', async () => {
    const answer = await call<ProblemDetails>(gateway, 'GET', '/api/v1/drones', {
      headers: { authorization: bearer },
    });

    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.body.status).toBe(404);
    expect(fakes.journal).toEqual([]);
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const answer = await call<ProblemDetails>(gateway, 'PUT', `/api/v1/deliveries/${DELIVERY}`, {
      headers: { authorization: bearer },
    });

    expect(answer.status).toBe(405);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.headers.get('allow')).toBe('PATCH, DELETE, GET, HEAD');
    expect(fakes.journal).toEqual([]);
  });

  it('sends the RateLimit headers on an ordinary answer', async () => {
    const answer = await call(gateway, 'GET', `/api/v1/deliveries/${DELIVERY}`, {
      headers: { authorization: bearer },
    });

    expect(answer.headers.get('ratelimit-policy')).toBe(
      '"client-ip";q=200;w=10, "account-reads";q=100;w=10',
    );
    expect(answer.headers.get('ratelimit')).toMatch(
      /^"client-ip";r=\d+;t=\d+, "account-reads";r=\d+;t=\d+$/,
    );
  });

  describe('a service that is down or silent', () => {
    it('down: 502 problem with Retry-After', async () => {
      await fakes.history.stop();
      try {
        const answer = await call<ProblemDetails>(gateway, 'GET', '/api/v1/delivery-history', {
          headers: { authorization: bearer },
        });

        expect(answer.status).toBe(502);
        expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(answer.headers.get('retry-after')).toBe('5');
        expect(answer.body.detail).toMatch(/delivery-history/);
      } finally {
        await fakes.history.start();
      }
    });

    it('silent: 504 problem with Retry-After once DOWNSTREAM_TIMEOUT_MS passes, not a hang', async () => {
      fakes.scheduler.answerWith('hang');

      const answer = await call<ProblemDetails>(
        gateway,
        'GET',
        `/api/v1/delivery-requests/${DELIVERY}`,
        { headers: { authorization: bearer } },
      );

      expect(answer.status).toBe(504);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body.status).toBe(504);
    });
  });

  describe('/docs', () => {
    it("/docs-json merges the services' public paths under one bearer scheme", async () => {
      const answer = await call<{
        paths: Record<string, unknown>;
        components: { securitySchemes: Record<string, unknown> };
        security: unknown[];
      }>(gateway, 'GET', '/docs-json');

      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body.paths).sort()).toEqual([
        '/api/v1/deliveries/{deliveryId}',
        '/api/v1/delivery-history',
        '/api/v1/delivery-requests/{requestId}',
        // The gateway's own.
        '/api/v1/operations/dead-letters/{topic}',
        '/api/v1/operations/dead-letters/{topic}/redrive',
        '/api/v1/operations/messaging',
        '/api/v1/operations/services',
      ]);
      expect(answer.body.components.securitySchemes).toEqual({
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      });
      expect(answer.body.security).toEqual([{ bearer: [] }]);
    });

    it('leaves a service that is down out, with a note, rather than failing', async () => {
      await fakes.history.stop();
      try {
        const answer = await call<{
          paths: Record<string, unknown>;
          info: { description: string };
        }>(gateway, 'GET', '/docs-json');

        expect(answer.status).toBe(200);
        expect(Object.keys(answer.body.paths)).not.toContain('/api/v1/delivery-history');
        expect(answer.body.info.description).toMatch(/did not answer: delivery-history/);
      } finally {
        await fakes.history.start();
      }
    });

    it('/docs serves Swagger UI for the merged document', async () => {
      const page = await call<string>(gateway, 'GET', '/docs');
      const init = await call<string>(gateway, 'GET', '/docs/swagger-ui-init.js');

      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(init.body).toContain('/api/v1/delivery-history');
    });
  });
});
