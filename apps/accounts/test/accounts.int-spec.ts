import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type AccountView, DEMO_ACCOUNTS, type ProblemDetails } from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import {
  createTestDatabase,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  serviceTokenEnv,
  testSigningKey,
  untrustedSigningKey,
} from '@drone-delivery/testing';

/** The accounts service as a real process on its own database, called as the scheduler calls it. */

const ACTIVE = DEMO_ACCOUNTS.active;
const SUSPENDED = DEMO_ACCOUNTS.suspended;

interface Answer<T> {
  status: number;
  contentType: string | null;
  body: T;
}

const schedulerTokens = new ServiceTokens({
  serviceName: 'scheduler',
  signingKey: testSigningKey(),
});

async function lookUp<T = AccountView>(
  service: ServiceProcess,
  accountId: string,
  bearer: string | null,
): Promise<Answer<T>> {
  const response = await fetch(`${service.url}/internal/v1/accounts/${accountId}`, {
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as T,
  };
}

function startAccounts(database: TestDatabase, env: Record<string, string> = {}) {
  return startServiceProcess({
    app: 'accounts',
    env: {
      DATABASE_URL: database.url,
      ...serviceTokenEnv(),
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
}

async function accountRows(database: TestDatabase): Promise<Record<string, unknown>[]> {
  const db = new Client({ connectionString: database.url });
  await db.connect();
  try {
    return (await db.query('SELECT id, name, status FROM accounts ORDER BY id')).rows as Record<
      string,
      unknown
    >[];
  } finally {
    await db.end();
  }
}

describe('accounts service', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('accounts');
    service = await startAccounts(database);
    token = await schedulerTokens.tokenFor('accounts');
  });

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  describe('demo accounts', () => {
    it('are seeded at start-up: Contoso Pharmacy is active', async () => {
      const answer = await lookUp(service, ACTIVE.accountId, token);

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        accountId: ACTIVE.accountId,
        name: ACTIVE.name,
        status: 'active',
      });
    });

    it('are seeded at start-up: Fabrikam Florist is suspended', async () => {
      const answer = await lookUp(service, SUSPENDED.accountId, token);

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        accountId: SUSPENDED.accountId,
        name: SUSPENDED.name,
        status: 'suspended',
      });
    });
  });

  it('answers 404 with a problem for an unknown account', async () => {
    const answer = await lookUp<ProblemDetails>(service, randomUUID(), token);

    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/application\/problem\+json/);
    expect(answer.body.status).toBe(404);
  });

  it('answers 400, not 500, for an id that is not a UUID', async () => {
    const answer = await lookUp<ProblemDetails>(service, 'not-a-uuid', token);

    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/application\/problem\+json/);
  });

  describe('service tokens', () => {
    it('answers 401 without a token', async () => {
      const answer = await lookUp<ProblemDetails>(service, ACTIVE.accountId, null);

      expect(answer.status).toBe(401);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(answer.body).not.toHaveProperty('name');
    });

    it('answers 401 with a token signed with another secret', async () => {
      const forged = await new ServiceTokens({
        serviceName: 'scheduler',
        signingKey: untrustedSigningKey(),
      }).tokenFor('accounts');

      expect((await lookUp(service, ACTIVE.accountId, forged)).status).toBe(401);
    });

    it('answers 403 with a genuine token addressed to another service', async () => {
      const forPackage = await schedulerTokens.tokenFor('package');
      const answer = await lookUp<ProblemDetails>(service, ACTIVE.accountId, forPackage);

      expect(answer.status).toBe(403);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
    });
  });

  describe('restart', () => {
    it('seeds again harmlessly: still two demo accounts, and changes made to them are kept', async () => {
      // An operator suspends the active demo account; a restart must not quietly undo that.
      const db = new Client({ connectionString: database.url });
      await db.connect();
      try {
        await db.query(`UPDATE accounts SET status = 'suspended' WHERE id = $1`, [
          ACTIVE.accountId,
        ]);
      } finally {
        await db.end();
      }

      await service.stop();
      service = await startAccounts(database);

      expect(await accountRows(database)).toEqual([
        { id: ACTIVE.accountId, name: ACTIVE.name, status: 'suspended' },
        { id: SUSPENDED.accountId, name: SUSPENDED.name, status: 'suspended' },
      ]);
      const answer = await lookUp(service, ACTIVE.accountId, token);
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('suspended');
    });
  });
});

describe('accounts service start-up', () => {
  let database: TestDatabase;
  const started: ServiceProcess[] = [];

  beforeEach(async () => {
    database = await createTestDatabase('accounts_start');
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
    await database?.drop();
  });

  it('lets two replicas start together on an empty database: both ready, each account once', async () => {
    started.push(...(await Promise.all([startAccounts(database), startAccounts(database)])));
    const token = await schedulerTokens.tokenFor('accounts');

    for (const replica of started) {
      expect((await lookUp(replica, ACTIVE.accountId, token)).status).toBe(200);
    }
    expect(await accountRows(database)).toHaveLength(2);
  });

  it('seeds nothing when SEED_DEMO_DATA is false', async () => {
    started.push(await startAccounts(database, { SEED_DEMO_DATA: 'false' }));
    const token = await schedulerTokens.tokenFor('accounts');

    expect((await lookUp(started[0], ACTIVE.accountId, token)).status).toBe(404);
    expect(await accountRows(database)).toEqual([]);
  });
});
