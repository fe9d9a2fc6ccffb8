/**
 * The delivery service's public routes as a real process: each needs an access token of the
 * identity provider (here a test issuer with a real ES256 key), and a customer sees only its
 * own account's deliveries. Another account's delivery answers exactly as an unknown one.
 */
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type ProblemDetails } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
} from '@drone-delivery/testing';
import { DeliveryClient, putRequest, startDelivery } from './delivery-api';

const OWNER = '11111111-1111-4111-8111-111111111111';
const STRANGER = '33333333-3333-4333-8333-333333333333';

interface PublicRoute {
  name: string;
  method: 'GET' | 'POST';
  path: (deliveryId: string, subscriptionId: string) => string;
  body?: unknown;
}

const ROUTES: PublicRoute[] = [
  { name: 'GET status', method: 'GET', path: (id) => `/api/v1/deliveries/${id}` },
  {
    name: 'POST notifications',
    method: 'POST',
    path: (id) => `/api/v1/deliveries/${id}/notifications`,
    body: { email: 'ada@example.com' },
  },
  {
    name: 'GET a subscription',
    method: 'GET',
    path: (id, subscriptionId) => `/api/v1/deliveries/${id}/notifications/${subscriptionId}`,
  },
];

describe('delivery public routes', () => {
  let database: TestDatabase;
  let issuer: TestIssuer;
  let service: ServiceProcess;
  let client: DeliveryClient;
  let db: Client;

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_public_api'),
      startTestIssuer(),
    ]);
    service = await startDelivery(database, issuer);
    client = new DeliveryClient(service);
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  const customer = (accountId: string) => issuer.bearer({ accountId });
  const operator = () => issuer.bearer({ operator: true });

  /** A delivery of `accountId` with one subscription of its customer. */
  async function deliveryWithSubscription(accountId: string) {
    const deliveryId = uuidv7();
    expect((await client.put(deliveryId, putRequest(accountId))).status).toBe(201);
    const subscribed = await client.send<{ subscriptionId: string }>(
      'POST',
      `/api/v1/deliveries/${deliveryId}/notifications`,
      { authorization: await customer(accountId), body: { email: 'owner@example.com' } },
    );
    expect(subscribed.status).toBe(201);
    return { deliveryId, subscriptionId: subscribed.body.subscriptionId };
  }

  async function subscriptionsOf(deliveryId: string): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM notification_subscriptions WHERE delivery_id = $1',
      [deliveryId],
    );
    return rows[0].count;
  }

  describe('without a valid access token', () => {
    const BAD_TOKENS: [string, (issuer: TestIssuer) => Promise<string | undefined>][] = [
      ['no token', () => Promise.resolve(undefined)],
      ['an expired token', (i) => i.bearer({ accountId: OWNER, expiresInSeconds: -60 })],
      ['a forged token', async (i) => `Bearer ${await i.forgedToken({ accountId: OWNER })}`],
      ['a token for another audience', (i) => i.bearer({ accountId: OWNER, audience: 'billing' })],
      [
        'a token of another issuer',
        (i) => i.bearer({ accountId: OWNER, issuer: 'https://x.example' }),
      ],
    ];
    let delivery: { deliveryId: string; subscriptionId: string };

    beforeAll(async () => {
      delivery = await deliveryWithSubscription(OWNER);
    });

    describe.each(ROUTES)('$name', (route) => {
      it.each(BAD_TOKENS)('answers 401 with %s, and does nothing', async (_, authorization) => {
        const answer = await client.send<ProblemDetails>(
          route.method,
          route.path(delivery.deliveryId, delivery.subscriptionId),
          { authorization: await authorization(issuer), body: route.body },
        );

        expect(answer.status).toBe(401);
        expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
        expect(answer.body).toMatchObject({ status: 401, detail: expect.any(String) as string });
        expect(await subscriptionsOf(delivery.deliveryId)).toBe(1);
      });
    });

    it('answers 403 to a token with neither the customer nor the operator scope', async () => {
      const answer = await client.send<ProblemDetails>(
        'GET',
        `/api/v1/deliveries/${delivery.deliveryId}`,
        { authorization: await issuer.bearer({ accountId: OWNER, scope: 'profile' }) },
      );

      expect(answer.status).toBe(403);
      expect(answer.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    });
  });

  describe('ownership', () => {
    it("answers another account's delivery byte for byte as if it did not exist, on every route", async () => {
      const deliveryId = uuidv7();
      const anySubscription = uuidv7();
      const stranger = await customer(STRANGER);
      const ask = (route: PublicRoute, subscriptionId: string) =>
        client.send<ProblemDetails>(route.method, route.path(deliveryId, subscriptionId), {
          authorization: stranger,
          body: route.body,
        });

      // The very id, asked before it exists: what an unknown delivery answers.
      const unknown = await Promise.all(ROUTES.map((route) => ask(route, anySubscription)));
      expect(await client.put(deliveryId, putRequest(OWNER))).toMatchObject({ status: 201 });
      const subscribed = await client.send<{ subscriptionId: string }>(
        'POST',
        `/api/v1/deliveries/${deliveryId}/notifications`,
        { authorization: await customer(OWNER), body: { email: 'owner@example.com' } },
      );
      expect(subscribed.status).toBe(201);
      const foreign = await Promise.all(
        ROUTES.map((route) => ask(route, subscribed.body.subscriptionId)),
      );

      for (const index of ROUTES.keys()) {
        expect(unknown[index].status).toBe(404);
        expect(foreign[index].status).toBe(404);
        expect(foreign[index].headers.get('content-type')).toBe(
          unknown[index].headers.get('content-type'),
        );
        expect(foreign[index].text).toBe(unknown[index].text);
      }
      expect(foreign[0].body.detail).toBe(`There is no delivery ${deliveryId}.`);
      // The stranger's subscribe stored nothing: the owner's is the only one.
      expect(await subscriptionsOf(deliveryId)).toBe(1);
    });

    it("shows the owner its delivery and subscription, and an operator anyone's", async () => {
      const { deliveryId, subscriptionId } = await deliveryWithSubscription(OWNER);

      for (const authorization of [await customer(OWNER), await operator()]) {
        const status = await client.send<{ deliveryId: string; stage: string }>(
          'GET',
          `/api/v1/deliveries/${deliveryId}`,
          { authorization },
        );
        expect(status).toMatchObject({ status: 200, body: { deliveryId, stage: 'Created' } });

        const subscription = await client.send<{ subscriptionId: string }>(
          'GET',
          `/api/v1/deliveries/${deliveryId}/notifications/${subscriptionId}`,
          { authorization },
        );
        expect(subscription).toMatchObject({ status: 200, body: { subscriptionId } });
      }

      const byOperator = await client.send<{ deliveryId: string }>(
        'POST',
        `/api/v1/deliveries/${deliveryId}/notifications`,
        { authorization: await operator(), body: { sms: '+14255550100' } },
      );
      expect(byOperator).toMatchObject({ status: 201, body: { deliveryId } });
      expect(await subscriptionsOf(deliveryId)).toBe(2);
    });
  });
});
