import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  DEMO_ACCOUNTS,
  MAX_WEIGHT_KG,
  PACKAGE_SIZES,
  type PackageView,
  type ProblemDetails,
  type PutPackageRequest,
} from '@drone-delivery/contracts';
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

/** The package service as a real process on its own database, called as the scheduler calls it. */

const ACCOUNT = DEMO_ACCOUNTS.active.accountId;
const PACKAGE: PutPackageRequest = {
  accountId: ACCOUNT,
  size: 'small',
  weightKg: 1.2,
  tag: 'prescription-4711',
};

interface Answer<T> {
  status: number;
  contentType: string | null;
  body: T;
}

describe('package service', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let db: Client;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('package');
    service = await startServiceProcess({
      app: 'package',
      env: { DATABASE_URL: database.url, ...serviceTokenEnv(), LOG_LEVEL: 'warn' },
    });
    db = new Client({ connectionString: database.url });
    await db.connect();
    token = await new ServiceTokens({
      serviceName: 'scheduler',
      signingKey: testSigningKey(),
    }).tokenFor('package');
  });

  afterAll(async () => {
    await db?.end();
    await service?.stop();
    await database?.drop();
  });

  /** One call to the internal API; `body` is sent as is when it is a string (e.g. bad JSON). */
  async function call<T = PackageView>(
    method: string,
    packageId: string,
    body?: unknown,
    bearer: string | null = token,
  ): Promise<Answer<T>> {
    const response = await fetch(`${service.url}/internal/v1/packages/${packageId}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(bearer && { authorization: `Bearer ${bearer}` }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  async function storedRows(packageId: string): Promise<Record<string, unknown>[]> {
    const result = await db.query('SELECT * FROM packages WHERE id = $1', [packageId]);
    return result.rows as Record<string, unknown>[];
  }

  function fieldsOf(problem: ProblemDetails): string[] {
    return (problem.errors ?? []).map((error) => error.field).sort();
  }

  describe('PUT', () => {
    it('creates a new package with 201 and returns it as a PackageView', async () => {
      const packageId = randomUUID();
      const created = await call('PUT', packageId, PACKAGE);

      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        packageId,
        ...PACKAGE,
        createdAt: expect.any(String) as string,
        updatedAt: expect.any(String) as string,
      });
      expect(new Date(created.body.createdAt).toISOString()).toBe(created.body.createdAt);
      const read = await call('GET', packageId);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('answers a retry with the same contents with 200 and the existing package', async () => {
      const packageId = randomUUID();
      const first = await call('PUT', packageId, PACKAGE);
      const retry = await call('PUT', packageId, PACKAGE);

      expect(first.status).toBe(201);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(await storedRows(packageId)).toHaveLength(1);
    });

    it('treats a package without a tag as a retry of itself, not of a tagged one', async () => {
      const packageId = randomUUID();
      const untagged = { accountId: ACCOUNT, size: 'medium', weightKg: 3 };

      expect((await call('PUT', packageId, untagged)).status).toBe(201);
      const retry = await call('PUT', packageId, untagged);
      expect(retry.status).toBe(200);
      expect(retry.body).not.toHaveProperty('tag');
      expect((await call('PUT', packageId, { ...untagged, tag: 'late' })).status).toBe(409);
    });

    it.each([
      ['account', { accountId: DEMO_ACCOUNTS.suspended.accountId }],
      ['size', { size: 'medium' }],
      ['weight', { weightKg: 1.3 }],
      ['tag', { tag: 'another' }],
    ])(
      'answers 409 when the id exists with another %s, and keeps the stored package',
      async (_, change) => {
        const packageId = randomUUID();
        const created = await call('PUT', packageId, PACKAGE);

        const conflict = await call<ProblemDetails>('PUT', packageId, { ...PACKAGE, ...change });

        expect(conflict.status).toBe(409);
        expect(conflict.contentType).toMatch(/application\/problem\+json/);
        expect(conflict.body.status).toBe(409);
        expect((await call('GET', packageId)).body).toEqual(created.body);
      },
    );

    it('creates one package when two identical PUTs arrive at once: one 201, one 200', async () => {
      // Several pairs at once, so the race is actually run rather than hoped for.
      const packageIds = Array.from({ length: 8 }, () => randomUUID());
      const answers = await Promise.all(
        packageIds.map((packageId) =>
          Promise.all([call('PUT', packageId, PACKAGE), call('PUT', packageId, PACKAGE)]),
        ),
      );

      for (const [index, pair] of answers.entries()) {
        expect(pair.map((answer) => answer.status).sort()).toEqual([200, 201]);
        expect(pair[0].body).toEqual(pair[1].body);
        expect(await storedRows(packageIds[index])).toHaveLength(1);
      }
    });

    it('lets exactly one of two different PUTs racing for one id win; the other gets 409', async () => {
      const packageId = randomUUID();
      const answers = await Promise.all([
        call('PUT', packageId, PACKAGE),
        call('PUT', packageId, { ...PACKAGE, weightKg: 1.9 }),
      ]);

      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      const winner = answers.find((answer) => answer.status === 201);
      expect((await call('GET', packageId)).body).toEqual(winner?.body);
    });

    it.each(PACKAGE_SIZES)('accepts a %s package of exactly its maximum weight', async (size) => {
      const answer = await call('PUT', randomUUID(), {
        ...PACKAGE,
        size,
        weightKg: MAX_WEIGHT_KG[size],
      });
      expect(answer.status).toBe(201);
      expect(answer.body.weightKg).toBe(MAX_WEIGHT_KG[size]);
    });

    it.each(PACKAGE_SIZES)(
      'rejects a %s package heavier than its size allows with a field error on weightKg',
      async (size) => {
        const packageId = randomUUID();
        const answer = await call<ProblemDetails>('PUT', packageId, {
          ...PACKAGE,
          size,
          weightKg: MAX_WEIGHT_KG[size] + 0.1,
        });

        expect(answer.status).toBe(400);
        expect(answer.contentType).toMatch(/application\/problem\+json/);
        expect(fieldsOf(answer.body)).toEqual(['weightKg']);
        expect(answer.body.errors?.[0].message).toContain(`${MAX_WEIGHT_KG[size]} kg`);
        expect(await storedRows(packageId)).toHaveLength(0);
      },
    );

    it('lists every invalid field in one 400', async () => {
      const answer = await call<ProblemDetails>('PUT', randomUUID(), {
        accountId: 'not-a-uuid',
        size: 'huge',
        weightKg: 0,
        tag: 'x'.repeat(65),
      });

      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(['accountId', 'size', 'tag', 'weightKg']);
    });

    it('accepts a tag of 64 characters', async () => {
      const answer = await call('PUT', randomUUID(), { ...PACKAGE, tag: 'x'.repeat(64) });
      expect(answer.status).toBe(201);
    });

    it('rejects a missing weight and a weight sent as a string', async () => {
      const missing = await call<ProblemDetails>('PUT', randomUUID(), {
        accountId: ACCOUNT,
        size: 'small',
      });
      const asString = await call<ProblemDetails>('PUT', randomUUID(), {
        ...PACKAGE,
        weightKg: '1.2',
      });

      expect(missing.status).toBe(400);
      expect(fieldsOf(missing.body)).toContain('weightKg');
      expect(asString.status).toBe(400);
      expect(fieldsOf(asString.body)).toContain('weightKg');
    });

    it('rejects an unknown field with 400 naming it', async () => {
      const packageId = randomUUID();
      const answer = await call<ProblemDetails>('PUT', packageId, { ...PACKAGE, colour: 'red' });

      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(['colour']);
      expect(await storedRows(packageId)).toHaveLength(0);
    });

    it('rejects malformed JSON with a 400 problem', async () => {
      const answer = await call<ProblemDetails>('PUT', randomUUID(), '{"accountId": ');

      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(answer.body.detail).toMatch(/JSON/);
    });
  });

  describe('ids', () => {
    it.each(['PUT', 'GET', 'PATCH', 'DELETE'])(
      '%s with an id that is not a UUID answers 400, not 500',
      async (method) => {
        const body = method === 'PUT' ? PACKAGE : method === 'PATCH' ? { tag: 'x' } : undefined;
        const answer = await call<ProblemDetails>(method, 'not-a-uuid', body);

        expect(answer.status).toBe(400);
        expect(answer.contentType).toMatch(/application\/problem\+json/);
      },
    );
  });

  describe('GET', () => {
    it('answers 404 with a problem for an unknown package', async () => {
      const answer = await call<ProblemDetails>('GET', randomUUID());

      expect(answer.status).toBe(404);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(answer.body.status).toBe(404);
    });
  });

  describe('PATCH', () => {
    it('changes only the given fields and moves updatedAt', async () => {
      const packageId = randomUUID();
      const created = (await call('PUT', packageId, PACKAGE)).body;

      const patched = await call('PATCH', packageId, { size: 'medium', weightKg: 4.5 });

      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({
        ...created,
        size: 'medium',
        weightKg: 4.5,
        updatedAt: expect.any(String) as string,
      });
      expect(Date.parse(patched.body.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
      expect((await call('GET', packageId)).body).toEqual(patched.body);

      const retagged = await call('PATCH', packageId, { tag: 'fragile' });
      expect(retagged.body).toEqual({
        ...patched.body,
        tag: 'fragile',
        updatedAt: expect.any(String) as string,
      });
    });

    it('checks the weight against the resulting size: a smaller size may make it too heavy', async () => {
      const packageId = randomUUID();
      const created = (await call('PUT', packageId, { ...PACKAGE, size: 'large', weightKg: 8 }))
        .body;

      const smaller = await call<ProblemDetails>('PATCH', packageId, { size: 'medium' });
      const heavier = await call<ProblemDetails>('PATCH', packageId, { weightKg: 10.5 });

      expect(smaller.status).toBe(400);
      expect(fieldsOf(smaller.body)).toEqual(['weightKg']);
      expect(heavier.status).toBe(400);
      expect(fieldsOf(heavier.body)).toEqual(['weightKg']);
      expect((await call('GET', packageId)).body).toEqual(created);

      const both = await call('PATCH', packageId, { size: 'medium', weightKg: 5 });
      expect(both.status).toBe(200);
      expect(both.body).toMatchObject({ size: 'medium', weightKg: 5 });
    });

    it('rejects fields that cannot change, unknown fields and nulls with 400', async () => {
      const packageId = randomUUID();
      const created = (await call('PUT', packageId, PACKAGE)).body;

      for (const [change, field] of [
        [{ accountId: DEMO_ACCOUNTS.suspended.accountId }, 'accountId'],
        [{ colour: 'red' }, 'colour'],
        [{ size: null }, 'size'],
        [{ weightKg: -1 }, 'weightKg'],
        [{ tag: 'x'.repeat(65) }, 'tag'],
      ] as const) {
        const answer = await call<ProblemDetails>('PATCH', packageId, change);
        expect(answer.status).toBe(400);
        expect(fieldsOf(answer.body)).toContain(field);
      }
      expect((await call('GET', packageId)).body).toEqual(created);
    });

    it('answers 404 for an unknown package and creates nothing', async () => {
      const packageId = randomUUID();
      const answer = await call<ProblemDetails>('PATCH', packageId, { tag: 'x' });

      expect(answer.status).toBe(404);
      expect(await storedRows(packageId)).toHaveLength(0);
    });
  });

  describe('DELETE', () => {
    it('deletes a package with 204, and answers 204 again when it is already gone', async () => {
      const packageId = randomUUID();
      await call('PUT', packageId, PACKAGE);

      const first = await call('DELETE', packageId);
      const second = await call('DELETE', packageId);

      expect(first.status).toBe(204);
      expect(second.status).toBe(204);
      expect((await call('GET', packageId)).status).toBe(404);
      expect(await storedRows(packageId)).toHaveLength(0);
    });

    it('answers 204 for a package that never existed', async () => {
      expect((await call('DELETE', randomUUID())).status).toBe(204);
    });

    it('refuses (410) a PUT that arrives after the DELETE of its id, and stores nothing', async () => {
      // A saga's compensation overtaking its own PUT, and a PUT retried after the delete.
      const neverWritten = randomUUID();
      const deleted = randomUUID();
      await call('PUT', deleted, PACKAGE);
      for (const packageId of [neverWritten, deleted]) {
        expect((await call('DELETE', packageId)).status).toBe(204);
        const late = await call<ProblemDetails>('PUT', packageId, PACKAGE);
        expect(late.status).toBe(410);
        expect(late.contentType).toMatch(/^application\/problem\+json/);
        expect(await storedRows(packageId)).toHaveLength(0);
      }
    });

    it('never leaves a package behind when a PUT and a DELETE of one id race', async () => {
      for (let round = 0; round < 10; round++) {
        const packageId = randomUUID();
        const [put, deleted] = await Promise.all([
          call('PUT', packageId, PACKAGE),
          call('DELETE', packageId),
        ]);
        expect(deleted.status).toBe(204);
        expect([201, 410]).toContain(put.status);
        expect(await storedRows(packageId)).toHaveLength(0);
      }
    });

    it('leaves other packages alone', async () => {
      const kept = randomUUID();
      const deleted = randomUUID();
      await call('PUT', kept, PACKAGE);
      await call('PUT', deleted, PACKAGE);

      await call('DELETE', deleted);

      expect((await call('GET', kept)).status).toBe(200);
    });
  });

  describe('service tokens', () => {
    const routes: [string, unknown][] = [
      ['PUT', PACKAGE],
      ['GET', undefined],
      ['PATCH', { tag: 'x' }],
      ['DELETE', undefined],
    ];

    it.each(routes)('%s without a token answers 401 and changes nothing', async (method, body) => {
      const packageId = randomUUID();
      const answer = await call<ProblemDetails>(method, packageId, body, null);

      expect(answer.status).toBe(401);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(await storedRows(packageId)).toHaveLength(0);
    });

    it.each(routes)('%s with a forged token answers 401', async (method, body) => {
      const forged = await new ServiceTokens({
        serviceName: 'scheduler',
        signingKey: untrustedSigningKey(),
      }).tokenFor('package');
      expect((await call(method, randomUUID(), body, forged)).status).toBe(401);
    });

    it.each(routes)('%s with a token for another service answers 403', async (method, body) => {
      const packageId = randomUUID();
      await call('PUT', packageId, PACKAGE);
      const forAccounts = await new ServiceTokens({
        serviceName: 'scheduler',
        signingKey: testSigningKey(),
      }).tokenFor('accounts');

      const answer = await call<ProblemDetails>(method, packageId, body, forAccounts);

      expect(answer.status).toBe(403);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(await storedRows(packageId)).toHaveLength(1);
    });
  });
});
