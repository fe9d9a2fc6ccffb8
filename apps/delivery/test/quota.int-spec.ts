/**
 * The quota of deliveries in flight per account, on the internal PUT the scheduler's saga sends:
 * with DELIVERY_QUOTA_IN_FLIGHT=2, a third new delivery of an account is refused with 429 until
 * one of its deliveries is completed or cancelled, however many PUTs arrive at once.
 */
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type DeliveryView, type ProblemDetails } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
} from '@drone-delivery/testing';
import { DeliveryClient, putRequest, startDelivery } from './delivery-api';

const QUOTA = 2;

describe('delivery quota of deliveries in flight', () => {
  let database: TestDatabase;
  let issuer: TestIssuer;
  let service: ServiceProcess;
  let client: DeliveryClient;
  let db: Client;

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_quota'),
      startTestIssuer(),
    ]);
    service = await startDelivery(database, issuer, { DELIVERY_QUOTA_IN_FLIGHT: String(QUOTA) });
    client = new DeliveryClient(service);
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  /** The account's deliveries in the database, by stage, and their DeliveryCreated events. */
  async function stored(accountId: string) {
    const { rows } = await db.query<{ deliveries: number; events: number }>(
      `SELECT count(DISTINCT d.id)::int AS deliveries, count(o.id)::int AS events
         FROM deliveries d LEFT JOIN outbox o ON o.delivery_id = d.id
        WHERE d.account_id = $1`,
      [accountId],
    );
    return rows[0];
  }

  /** QUOTA new deliveries of the account, one after the other: its quota is then reached. */
  async function fillQuota(accountId: string) {
    const filled = [];
    for (let index = 0; index < QUOTA; index++) {
      const id = uuidv7();
      const request = putRequest(accountId);
      const answer = await client.put<DeliveryView>(id, request);
      expect(answer.status).toBe(201);
      filled.push({ id, request, view: answer.body });
    }
    return filled;
  }

  it('refuses a new delivery beyond the quota with 429, Retry-After and a problem saying why', async () => {
    const accountId = uuidv7();
    await fillQuota(accountId);

    const refusedId = uuidv7();
    const refused = await client.put<ProblemDetails>(refusedId, putRequest(accountId));

    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body).toEqual({
      type: 'https://drone-delivery.example/problems/quota-exceeded',
      title: 'Too many deliveries in flight',
      status: 429,
      detail:
        `Account ${accountId} already has 2 deliveries in flight, the most it may have at once; ` +
        'schedule more once some are completed or cancelled.',
      limit: 2,
      retryAfterSeconds: 30,
    });
    expect(await stored(accountId)).toEqual({ deliveries: 2, events: 2 });
    const { rows } = await db.query('SELECT 1 FROM deliveries WHERE id = $1', [refusedId]);
    expect(rows).toEqual([]);
  });

  it('still creates deliveries of another account', async () => {
    const full = uuidv7();
    await fillQuota(full);

    const other = uuidv7();
    expect((await client.put(uuidv7(), putRequest(other))).status).toBe(201);
    expect(await stored(other)).toEqual({ deliveries: 1, events: 1 });
  });

  it('answers a retry of an existing delivery as before, even with the quota reached', async () => {
    const accountId = uuidv7();
    const [first] = await fillQuota(accountId);

    const retry = await client.put<DeliveryView>(first.id, first.request);
    const changed = await client.put<ProblemDetails>(first.id, {
      ...first.request,
      droneId: uuidv7(),
    });

    expect(retry).toMatchObject({ status: 200, body: first.view });
    expect(changed.status).toBe(409);
    expect(await stored(accountId)).toEqual({ deliveries: 2, events: 2 });
  });

  it('takes a new delivery again once one in flight is cancelled', async () => {
    const accountId = uuidv7();
    const [first] = await fillQuota(accountId);
    expect((await client.put(uuidv7(), putRequest(accountId))).status).toBe(429);

    expect((await client.cancel(first.id)).status).toBe(200);

    expect((await client.put(uuidv7(), putRequest(accountId))).status).toBe(201);
  });

  it(`lets exactly ${QUOTA} of 5 concurrent new deliveries of one account through`, async () => {
    // Several rounds: without the account's lock, concurrent PUTs would all count the same
    // free room, and one round or another would let more through.
    for (let round = 0; round < 3; round++) {
      const accountId = uuidv7();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => client.put(uuidv7(), putRequest(accountId))),
      );

      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 429, 429, 429]);
      expect(await stored(accountId)).toEqual({ deliveries: QUOTA, events: QUOTA });
    }
  });
});
