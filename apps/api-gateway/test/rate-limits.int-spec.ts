import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type ProblemDetails } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  testKafkaBrokers,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
} from '@drone-delivery/testing';
import { FakeService, type ReceivedRequest } from './fake-services';

/**
 * Rate limits as a client meets them: token buckets in the gateway's database, so replicas share
 * them. Refill is set to one token a minute, so no bucket refills while a test runs and every
 * count below is exact.
 */

const SLOW_REFILL = '1';

interface Fakes {
  scheduler: FakeService;
  delivery: FakeService;
  history: FakeService;
  identity: FakeService;
  journal: ReceivedRequest[];
}

async function startFakes(): Promise<Fakes> {
  const journal: ReceivedRequest[] = [];
  const fakes = {
    scheduler: new FakeService('scheduler', journal, {}),
    delivery: new FakeService('delivery', journal, {}),
    history: new FakeService('delivery-history', journal, {}),
    identity: new FakeService('identity', journal, {}),
    journal,
  };
  await Promise.all([
    fakes.scheduler.start(),
    fakes.delivery.start(),
    fakes.history.start(),
    fakes.identity.start(),
  ]);
  return fakes;
}

async function stopFakes(fakes: Fakes | undefined): Promise<void> {
  if (!fakes) return;
  await Promise.all(
    [fakes.scheduler, fakes.delivery, fakes.history, fakes.identity].map((fake) => fake.stop()),
  );
}

function startGateway(
  database: TestDatabase,
  issuer: TestIssuer,
  fakes: Fakes,
  limits: Record<string, string>,
): Promise<ServiceProcess> {
  return startServiceProcess({
    app: 'api-gateway',
    env: {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'error',
      ...issuer.env,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      SCHEDULER_URL: fakes.scheduler.url,
      DELIVERY_URL: fakes.delivery.url,
      DELIVERY_HISTORY_URL: fakes.history.url,
      IDENTITY_URL: fakes.identity.url,
      ...limits,
    },
  });
}

interface Answer {
  status: number;
  headers: Headers;
  body: ProblemDetails;
}

async function call(
  gateway: ServiceProcess,
  method: string,
  path: string,
  authorization?: string,
): Promise<Answer> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      ...(authorization && { authorization }),
      ...(method !== 'GET' && { 'content-type': 'application/json' }),
    },
    body: method === 'GET' ? undefined : '{}',
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as ProblemDetails,
  };
}

const statuses = (answers: Answer[]) => answers.map((answer) => answer.status);
const count = (answers: Answer[], status: number) =>
  answers.filter((answer) => answer.status === status).length;

describe('api-gateway rate limits per account, shared by two replicas', () => {
  let issuer: TestIssuer;
  let database: TestDatabase;
  let fakes: Fakes;
  let replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    [issuer, database, fakes] = await Promise.all([
      startTestIssuer(),
      createTestDatabase('api_gateway_limits'),
      startFakes(),
    ]);
    const limits = {
      RATE_LIMIT_WRITE_BURST: '5',
      RATE_LIMIT_WRITE_PER_MINUTE: SLOW_REFILL,
      RATE_LIMIT_READ_BURST: '8',
      RATE_LIMIT_READ_PER_MINUTE: SLOW_REFILL,
    };
    replicas = await Promise.all([
      startGateway(database, issuer, fakes, limits),
      startGateway(database, issuer, fakes, limits),
    ]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await stopFakes(fakes);
    await Promise.all([issuer?.stop(), database?.drop()]);
  });

  it('lets a burst of writes through up to the bucket size across both replicas, then 429', async () => {
    const bearer = await issuer.bearer({ accountId: randomUUID() });

    // Twelve writes at once, alternating between the replicas: five tokens, whoever takes them.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(replicas[i % 2], 'POST', '/api/v1/deliveries', bearer),
      ),
    );

    expect(count(answers, 200)).toBe(5);
    expect(count(answers, 429)).toBe(7);
    expect(fakes.journal.filter((request) => request.method === 'POST')).toHaveLength(5);
    const refused = answers.find((answer) => answer.status === 429) as Answer;
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(refused.body.detail).toMatch(/too many changes/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-policy')).toBe(
      '"client-ip";q=200;w=10, "account-writes";q=5;w=300',
    );
    expect(refused.headers.get('ratelimit')).toMatch(
      /^"client-ip";r=\d+;t=\d+, "account-writes";r=0;t=\d+$/,
    );
  });

  it('counts reads apart from writes, and each account apart from the others', async () => {
    const bearer = await issuer.bearer({ accountId: randomUUID() });
    const writes = [];
    for (let i = 0; i < 6; i++)
      writes.push(
        await call(replicas[i % 2], 'DELETE', `/api/v1/deliveries/${randomUUID()}`, bearer),
      );
    expect(statuses(writes)).toEqual([200, 200, 200, 200, 200, 429]);

    const reads = [];
    for (let i = 0; i < 9; i++)
      reads.push(await call(replicas[i % 2], 'GET', '/api/v1/delivery-history', bearer));
    expect(statuses(reads)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    expect(reads[8].body.detail).toMatch(/too many requests/);
    expect(reads[7].headers.get('ratelimit')).toMatch(/"account-reads";r=0;t=\d+$/);

    const someoneElse = await issuer.bearer({ accountId: randomUUID() });
    expect(
      (await call(replicas[0], 'DELETE', `/api/v1/deliveries/${randomUUID()}`, someoneElse)).status,
    ).toBe(200);
  });

  it('counts an operator by its subject', async () => {
    const operator = await issuer.bearer({ operator: true, subject: `ops-${randomUUID()}` });
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(await call(replicas[i % 2], 'POST', '/api/v1/deliveries', operator));

    expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('api-gateway rate limits per client address, and without the store', () => {
  let issuer: TestIssuer;
  let database: TestDatabase;
  let fakes: Fakes;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    [issuer, database, fakes] = await Promise.all([
      startTestIssuer(),
      createTestDatabase('api_gateway_ip_limits'),
      startFakes(),
    ]);
    gateway = await startGateway(database, issuer, fakes, {
      RATE_LIMIT_IP_BURST: '4',
      RATE_LIMIT_IP_PER_MINUTE: SLOW_REFILL,
      RATE_LIMIT_PRUNE_INTERVAL_MS: '200',
      RATE_LIMIT_STORE_TIMEOUT_MS: '500',
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await stopFakes(fakes);
    await Promise.all([issuer?.stop(), database?.drop()]);
  });

  it('prunes buckets idle long enough to be full again, and keeps the others', async () => {
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      await db.query(`
        INSERT INTO rate_limit_buckets (bucket_key, tokens, updated_at) VALUES
          ('ip:203.0.113.1', 0, now() - interval '1 hour'),
          ('ip:203.0.113.2', 0, now())`);

      await waitFor(
        async () => {
          const { rows } = await db.query<{ bucket_key: string }>(
            `SELECT bucket_key FROM rate_limit_buckets WHERE bucket_key LIKE 'ip:203.0.113.%'`,
          );
          return rows.length === 1 ? rows : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 100, description: 'the idle bucket pruned' },
      ).then((rows) => expect(rows).toEqual([{ bucket_key: 'ip:203.0.113.2' }]));
    } finally {
      await db.end();
    }
  });

  it('limits one address over every route, token or not, the token endpoint included', async () => {
    const answers = [
      await call(
        gateway,
        'GET',
        '/api/v1/delivery-history',
        await issuer.bearer({ accountId: randomUUID() }),
      ),
      await call(
        gateway,
        'POST',
        '/api/v1/deliveries',
        await issuer.bearer({ accountId: randomUUID() }),
      ),
      await call(gateway, 'GET', '/api/v1/delivery-history'),
      await call(gateway, 'POST', '/identity/token'),
      await call(gateway, 'POST', '/identity/token'),
      await call(
        gateway,
        'GET',
        '/api/v1/delivery-history',
        await issuer.bearer({ accountId: randomUUID() }),
      ),
    ];

    expect(statuses(answers)).toEqual([200, 200, 401, 200, 429, 429]);
    expect(answers[4].body.detail).toMatch(/from your address/);
    expect(answers[4].headers.get('ratelimit-policy')).toBe('"client-ip";q=4;w=240');
    expect(answers[4].headers.get('ratelimit')).toMatch(/^"client-ip";r=0;t=\d+$/);
    expect(Number(answers[4].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(fakes.journal.map((request) => request.service)).toEqual([
      'delivery-history',
      'scheduler',
      'identity',
    ]);
  });

  it('with the store down, lets reads through (fail open) and refuses writes with 503 (fail closed)', async () => {
    fakes.journal.splice(0);
    await database.drop();
    const bearer = await issuer.bearer({ accountId: randomUUID() });

    const read = await call(gateway, 'GET', '/api/v1/delivery-history', bearer);
    const write = await call(gateway, 'POST', '/api/v1/deliveries', bearer);

    expect(read.status).toBe(200);
    expect(read.headers.get('ratelimit-policy')).toMatch(/"account-reads"/);
    expect(write.status).toBe(503);
    expect(write.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(write.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(fakes.journal.map((request) => request.method)).toEqual(['GET']);
    // Still ready: taking the gateway out of the load balancer would refuse the reads too.
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
  });
});
