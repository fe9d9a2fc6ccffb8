/**
 * delivery-history's public routes as a real process: each needs an access token of the
 * identity provider (here a test issuer with a real ES256 key); a customer reads only its own
 * account's histories and searches only its own account; an operator reads and searches all.
 */
import { randomUUID } from 'node:crypto';
import { type DeliveryEvent, type ProblemDetails } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  type ServiceProcess,
  startTestIssuer,
  type TestDatabase,
  type TestIssuer,
  uniqueGroupId,
} from '@drone-delivery/testing';
import {
  asCustomer,
  asOperator,
  type Credentials,
  DeliveryEventsProducer,
  expectedHistory,
  getHistory,
  type HistoryEntry,
  lifecycle,
  searchDeliveries,
  startDeliveryHistory,
  waitForHistory,
} from './delivery-history.fixtures';

const MINUTE = 60_000;

describe('delivery-history public routes', () => {
  const producer = new DeliveryEventsProducer();
  let database: TestDatabase;
  let issuer: TestIssuer;
  let service: ServiceProcess;
  let operator: Credentials;
  const customer = (accountId: string) => asCustomer(issuer, accountId);

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_history_public_api'),
      startTestIssuer(),
    ]);
    operator = asOperator(issuer);
    service = await startDeliveryHistory(database, uniqueGroupId('history-public-api'), issuer);
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  describe('without a valid access token', () => {
    const owner = randomUUID();
    const delivery = lifecycle(owner, new Date('2026-11-24T09:00:00.000Z'), ['DeliveryCreated']);
    const BAD_TOKENS: [string, (issuer: TestIssuer) => Promise<string | undefined>][] = [
      ['no token', () => Promise.resolve(undefined)],
      ['an expired token', (i) => i.bearer({ accountId: owner, expiresInSeconds: -60 })],
      ['a forged token', async (i) => `Bearer ${await i.forgedToken({ accountId: owner })}`],
      ['a token for another audience', (i) => i.bearer({ accountId: owner, audience: 'billing' })],
      [
        'a token of another issuer',
        (i) => i.bearer({ accountId: owner, issuer: 'https://x.example' }),
      ],
    ];
    const ROUTES: [string, () => string][] = [
      ['GET history', () => `/api/v1/deliveries/${delivery.deliveryId}/history`],
      ['GET search', () => `/api/v1/delivery-history?accountId=${owner}`],
    ];

    beforeAll(async () => {
      await producer.publish(delivery.events);
      await waitForHistory(service, delivery.deliveryId, 1, operator);
    });

    describe.each(ROUTES)('%s', (_, path) => {
      it.each(BAD_TOKENS)('answers 401 with %s', async (__, authorization) => {
        const token = await authorization(issuer);
        const response = await fetch(`${service.url}${path()}`, {
          headers: token === undefined ? {} : { authorization: token },
        });

        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
        const body = (await response.json()) as ProblemDetails;
        expect(body).toMatchObject({ status: 401, detail: expect.any(String) as string });
        expect(body).not.toHaveProperty('items');
      });

      it('answers 403 to a token with neither the customer nor the operator scope', async () => {
        const response = await fetch(`${service.url}${path()}`, {
          headers: { authorization: await issuer.bearer({ accountId: owner, scope: 'profile' }) },
        });

        expect(response.status).toBe(403);
        expect(response.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
      });
    });
  });

  describe('history', () => {
    it("answers another account's delivery byte for byte as if it did not exist", async () => {
      const owner = randomUUID();
      const stranger = customer(randomUUID());
      const delivery = lifecycle(owner, new Date('2026-11-24T10:00:00.000Z'), [
        'DeliveryCreated',
        'DeliveryInTransit',
      ]);

      // The very id, asked before any of its events arrived: what an unknown delivery answers.
      const unknown = await getHistory<ProblemDetails>(service, delivery.deliveryId, stranger);
      await producer.publish(delivery.events);
      await waitForHistory(service, delivery.deliveryId, 2, operator);
      const foreign = await getHistory<ProblemDetails>(service, delivery.deliveryId, stranger);

      expect(unknown.status).toBe(404);
      expect(foreign.status).toBe(404);
      expect(foreign.contentType).toBe(unknown.contentType);
      expect(foreign.text).toBe(unknown.text);
      expect(foreign.body.detail).toBe(
        `No event of delivery ${delivery.deliveryId} has been recorded.`,
      );
    });

    it('shows the owner and an operator the whole history, data included', async () => {
      const owner = randomUUID();
      const delivery = lifecycle(owner, new Date('2026-11-24T11:00:00.000Z'), [
        'DeliveryCreated',
        'DeliveryRescheduled',
        'DeliveryCancelled',
      ]);
      await producer.publish(delivery.events);
      await waitForHistory(service, delivery.deliveryId, 3, operator);

      for (const as of [customer(owner), operator]) {
        const answer = await getHistory(service, delivery.deliveryId, as);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual(expectedHistory(delivery.events));
      }
    });

    it('serves a long history a page at a time, linking each page to the next', async () => {
      const owner = randomUUID();
      const delivery = lifecycle(owner, new Date('2026-11-24T12:00:00.000Z'), [
        'DeliveryCreated',
        'DeliveryRescheduled',
        'DeliveryRescheduled',
        'DeliveryRescheduled',
        'DeliveryInTransit',
      ]);
      await producer.publish(delivery.events);
      await waitForHistory(service, delivery.deliveryId, 5, operator);
      const expected = expectedHistory(delivery.events);

      const pages: HistoryEntry[][] = [];
      let query: string | undefined = '?limit=2';
      while (query !== undefined) {
        const answer = await getHistory(service, delivery.deliveryId, customer(owner), query);
        expect(answer.status).toBe(200);
        pages.push(answer.body);
        const next = /<[^?>]+(\?[^>]+)>; rel="next"/.exec(answer.headers.get('link') ?? '');
        query = next?.[1];
      }
      expect(pages.map((page) => page.map((entry) => entry.sequence))).toEqual([
        [1, 2],
        [3, 4],
        [5],
      ]);
      expect(pages.flat()).toEqual(expected);

      // Past the end: an empty page of a known delivery, not a 404.
      const after = await getHistory(service, delivery.deliveryId, operator, '?afterSequence=5');
      expect([after.status, after.body, after.headers.get('link')]).toEqual([200, [], null]);
      expect(
        (await getHistory(service, delivery.deliveryId, operator, '?afterSequence=3')).body,
      ).toEqual(expected.slice(3));
    });

    it.each([
      '?limit=0',
      '?limit=501',
      '?limit=ten',
      '?afterSequence=-1',
      '?afterSequence=2147483648',
      '?afterSequence=1.5',
    ])('answers 400 with a problem document to %s', async (query) => {
      const answer = await getHistory<ProblemDetails>(service, randomUUID(), operator, query);
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
    });

    it('hides a delivery from its customer until DeliveryCreated names the account; an operator sees it', async () => {
      const owner = randomUUID();
      const delivery = lifecycle(owner, new Date('2026-11-24T12:00:00.000Z'), [
        'DeliveryCreated',
        'DeliveryInTransit',
      ]);
      const [created, inTransit] = delivery.events as [DeliveryEvent, DeliveryEvent];
      const unknown = await getHistory<ProblemDetails>(
        service,
        delivery.deliveryId,
        customer(owner),
      );

      await producer.publish([inTransit]);
      expect(await waitForHistory(service, delivery.deliveryId, 1, operator)).toEqual(
        expectedHistory([inTransit]),
      );
      const pending = await getHistory<ProblemDetails>(
        service,
        delivery.deliveryId,
        customer(owner),
      );
      expect(pending.status).toBe(404);
      expect(pending.text).toBe(unknown.text);

      await producer.publish([created]);
      expect(await waitForHistory(service, delivery.deliveryId, 2, customer(owner))).toEqual(
        expectedHistory(delivery.events),
      );
    });
  });

  describe('search', () => {
    // A window of time no other test's deliveries fall in (the events topic is shared).
    const windowStart = Date.UTC(2040, 0, 1) + Math.floor(Math.random() * 1_000_000) * 10 * MINUTE;
    const window = {
      from: new Date(windowStart).toISOString(),
      to: new Date(windowStart + 10 * MINUTE).toISOString(),
    };
    const owner = randomUUID();
    const stranger = randomUUID();
    const at = (minutes: number) => new Date(windowStart + minutes * MINUTE);
    const ownerFirst = lifecycle(owner, at(1), ['DeliveryCreated']);
    const strangers = lifecycle(stranger, at(2), ['DeliveryCreated']);
    const ownerSecond = lifecycle(owner, at(3), ['DeliveryCreated', 'DeliveryInTransit']);

    const idsFound = async (query: Record<string, string>, as: Credentials) => {
      const answer = await searchDeliveries(service, { ...window, ...query }, as);
      expect(answer.status).toBe(200);
      return answer.body.items.map((item) => item.deliveryId);
    };

    beforeAll(async () => {
      const all = [ownerFirst, strangers, ownerSecond];
      await producer.publish(all.flatMap((delivery) => delivery.events));
      for (const delivery of all) {
        await waitForHistory(service, delivery.deliveryId, delivery.events.length, operator);
      }
    });

    it("searches a customer's own account when it names none, or names its own", async () => {
      const own = [ownerSecond.deliveryId, ownerFirst.deliveryId];

      expect(await idsFound({}, customer(owner))).toEqual(own);
      expect(await idsFound({ accountId: owner }, customer(owner))).toEqual(own);
      expect(await idsFound({}, customer(stranger))).toEqual([strangers.deliveryId]);
    });

    it('refuses a customer naming another account with 403 and a plain message', async () => {
      const answer = await searchDeliveries<ProblemDetails>(
        service,
        { ...window, accountId: stranger },
        customer(owner),
      );

      expect(answer.status).toBe(403);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(answer.body).toEqual({
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail:
          "You may search only your own account's deliveries: leave out accountId, or give your own.",
      });
    });

    it('lets an operator search one account, or every account when it names none', async () => {
      expect(await idsFound({ accountId: stranger }, operator)).toEqual([strangers.deliveryId]);
      expect(await idsFound({ accountId: owner }, operator)).toEqual([
        ownerSecond.deliveryId,
        ownerFirst.deliveryId,
      ]);

      const everyone = await searchDeliveries(service, window, operator);
      expect(everyone.body.items.map((item) => [item.deliveryId, item.accountId])).toEqual([
        [ownerSecond.deliveryId, owner],
        [strangers.deliveryId, stranger],
        [ownerFirst.deliveryId, owner],
      ]);
      // Paging works across accounts as within one.
      const page1 = await searchDeliveries(service, { ...window, limit: '2' }, operator);
      const page2 = await searchDeliveries(
        service,
        { ...window, limit: '2', cursor: page1.body.nextCursor as string },
        operator,
      );
      expect([...page1.body.items, ...page2.body.items]).toEqual(everyone.body.items);
      expect(page2.body.nextCursor).toBeNull();
    });
  });
});
