/**
 * delivery-history as a real process on its own database and consumer group, fed through the
 * real delivery.events.v1 topic: timelines, search, duplicates, out-of-order arrival, dead
 * letters and its HTTP contract.
 */
import { randomUUID } from 'node:crypto';
import {
  type DeliveryEvent,
  type DeliveryEventName,
  type ProblemDetails,
} from '@drone-delivery/contracts';
import { DLQ_HEADERS } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  type ServiceProcess,
  startTestIssuer,
  type TestDatabase,
  type TestIssuer,
  uniqueGroupId,
  waitFor,
} from '@drone-delivery/testing';
import {
  asCustomer,
  asOperator,
  type Credentials,
  countInboxRows,
  countTimelineRows,
  DeadLetterReader,
  DeliveryEventsProducer,
  type DeliverySummary,
  envelope,
  eventData,
  expectedHistory,
  getHistory,
  header,
  lifecycle,
  type Lifecycle,
  searchDeliveries,
  shuffled,
  STAGE_AFTER,
  startDeliveryHistory,
  testKafka,
  waitForHistory,
  waitUntilConsumed,
  withDatabase,
  nameOf,
} from './delivery-history.fixtures';

const HOUR = 3_600_000;

describe('delivery-history', () => {
  const kafka = testKafka('delivery-history-spec');
  const groupId = uniqueGroupId('history');
  const producer = new DeliveryEventsProducer();
  let database: TestDatabase;
  let issuer: TestIssuer;
  let service: ServiceProcess;
  /** Waits and checks see every delivery; searches go as the customer of their account. */
  let operator: Credentials;
  const customer = (accountId: string) => asCustomer(issuer, accountId);

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_history'),
      startTestIssuer(),
    ]);
    operator = asOperator(issuer);
    service = await startDeliveryHistory(database, groupId, issuer);
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  /** The summary search shows for a delivery whose events were all received. */
  function expectedSummary(delivery: Lifecycle): DeliverySummary {
    const latest = delivery.events.reduce((a, b) => (b.sequence > a.sequence ? b : a));
    return {
      deliveryId: delivery.deliveryId,
      accountId: delivery.accountId,
      stage: STAGE_AFTER[nameOf(latest)],
      createdAt: delivery.createdAt.toISOString(),
      updatedAt: latest.time,
    };
  }

  it('records a delivery as it goes: history in sequence order, search by account finds it', async () => {
    const accountId = randomUUID();
    const createdAt = new Date('2026-11-22T10:00:00.000Z');
    const delivery = lifecycle(accountId, createdAt, [
      'DeliveryCreated',
      'DeliveryInTransit',
      'DeliveryCompleted',
    ]);
    const [created, inTransit, completed] = delivery.events;

    await producer.publish(delivery.events);

    const history = await waitForHistory(service, delivery.deliveryId, 3, customer(accountId));
    expect(history).toEqual([
      {
        eventId: created.id,
        type: 'DeliveryCreated',
        sequence: 1,
        occurredAt: '2026-11-22T10:00:00.000Z',
        data: created.data,
      },
      {
        eventId: inTransit.id,
        type: 'DeliveryInTransit',
        sequence: 2,
        occurredAt: '2026-11-22T10:01:00.000Z',
        data: inTransit.data,
      },
      {
        eventId: completed.id,
        type: 'DeliveryCompleted',
        sequence: 3,
        occurredAt: '2026-11-22T10:02:00.000Z',
        data: completed.data,
      },
    ]);

    const found = await searchDeliveries(
      service,
      { accountId, from: '2026-11-22T00:00:00Z', to: '2026-11-23T00:00:00Z' },
      customer(accountId),
    );
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      items: [
        {
          deliveryId: delivery.deliveryId,
          accountId,
          stage: 'Completed',
          createdAt: '2026-11-22T10:00:00.000Z',
          updatedAt: '2026-11-22T10:02:00.000Z',
        },
      ],
      nextCursor: null,
    });
  });

  it('builds the same timelines from events delivered twice and in random order', async () => {
    const accountId = randomUUID();
    const day = new Date('2026-11-20T08:00:00.000Z').getTime();
    const deliveries = [
      lifecycle(accountId, new Date(day), [
        'DeliveryCreated',
        'DeliveryRescheduled',
        'DeliveryInTransit',
        'DeliveryCompleted',
      ]),
      lifecycle(accountId, new Date(day + HOUR), [
        'DeliveryCreated',
        'DeliveryRescheduled',
        'DeliveryRescheduled',
        'DeliveryCancelled',
      ]),
      lifecycle(accountId, new Date(day + 2 * HOUR), ['DeliveryCreated', 'DeliveryInTransit']),
      lifecycle(accountId, new Date(day + 3 * HOUR), ['DeliveryCreated', 'DeliveryCancelled']),
    ];
    const allEvents = deliveries.flatMap((delivery) => delivery.events);
    const messages = shuffled([...allEvents, ...allEvents]);
    // Whatever the shuffle did: the first delivery's last event arrives before its DeliveryCreated
    // (the account is filled in later) and before events with lower sequences (no regression).
    const finalEvent = deliveries[0].events[3];
    messages.splice(messages.indexOf(finalEvent), 1);
    messages.unshift(finalEvent);

    await producer.publish(messages);

    for (const delivery of deliveries) {
      await waitForHistory(service, delivery.deliveryId, delivery.events.length, operator);
    }
    // Every copy has been handled, not just the first of each.
    await waitUntilConsumed(kafka, groupId);

    for (const delivery of deliveries) {
      const history = await getHistory(service, delivery.deliveryId, operator);
      expect(history.body).toEqual(expectedHistory(delivery.events));
    }
    await withDatabase(database, async (db) => {
      expect(
        await countTimelineRows(
          db,
          deliveries.map((delivery) => delivery.deliveryId),
        ),
      ).toBe(allEvents.length);
      expect(
        await countInboxRows(
          db,
          allEvents.map((event) => event.id),
        ),
      ).toBe(allEvents.length);
    });
    const found = await searchDeliveries(service, { accountId }, customer(accountId));
    expect(found.body.items).toEqual(
      [...deliveries].reverse().map((delivery) => expectedSummary(delivery)),
    );
    expect(found.body.items.map((item) => item.stage)).toEqual([
      'Cancelled',
      'InTransit',
      'Cancelled',
      'Completed',
    ]);
  });

  it('keeps a delivery InTransit through a DeliveryRescheduled after it, in either order', async () => {
    const accountId = randomUUID();
    const names: DeliveryEventName[] = [
      'DeliveryCreated',
      'DeliveryInTransit',
      'DeliveryRescheduled',
    ];
    const inOrder = lifecycle(accountId, new Date('2026-11-21T08:00:00.000Z'), names);
    const swapped = lifecycle(accountId, new Date('2026-11-21T09:00:00.000Z'), names);
    const [created, inTransit, rescheduled] = swapped.events;

    await producer.publish([...inOrder.events, created, rescheduled, inTransit]);
    for (const delivery of [inOrder, swapped]) {
      await waitForHistory(service, delivery.deliveryId, 3, operator);
    }
    await waitUntilConsumed(kafka, groupId);

    const found = await searchDeliveries(service, { accountId }, customer(accountId));
    expect(found.body.items.map((item) => [item.deliveryId, item.stage])).toEqual([
      [swapped.deliveryId, 'InTransit'],
      [inOrder.deliveryId, 'InTransit'],
    ]);
  });

  it('dead-letters every malformed message at once, with its reason, and keeps consuming', async () => {
    const dlqGroup = uniqueGroupId('history-dlq-reader');
    const reader = new DeadLetterReader(kafka, dlqGroup);
    await reader.start();
    try {
      // All on one key, so one partition: the valid events behind the bad ones prove it moves on.
      const deliveryId = randomUUID();
      const ids = { deliveryId, accountId: randomUUID(), droneId: randomUUID() };
      const time = new Date('2026-11-21T09:00:00.000Z');
      const created = envelope(
        'DeliveryCreated',
        deliveryId,
        1,
        time,
        eventData('DeliveryCreated', ids, time),
      );
      const inTransit = envelope(
        'DeliveryInTransit',
        deliveryId,
        2,
        time,
        eventData('DeliveryInTransit', ids, time),
      );
      const createdWithoutAccount: Record<string, unknown> = { ...created.data };
      delete createdWithoutAccount.accountId;
      const malformed: { value: string; reason: RegExp }[] = [
        { value: '{"id": "1", "type": ', reason: /not JSON/ },
        { value: JSON.stringify({ deliveryId, stage: 'Completed' }), reason: /not a CloudEvent/ },
        {
          value: JSON.stringify({ ...created, type: 'drone-delivery.delivery.DeliveryLost.v1' }),
          reason: /carries no events of type drone-delivery\.delivery\.DeliveryLost\.v1/,
        },
        {
          value: JSON.stringify({ ...created, data: createdWithoutAccount }),
          reason: /DeliveryCreated\.v1 data: .*accountId/,
        },
        {
          value: JSON.stringify({ ...inTransit, id: randomUUID(), subject: randomUUID() }),
          reason: /subject .* is not the event's delivery/,
        },
        {
          // Valid for the envelope's schema, but beyond the timeline's integer column.
          value: JSON.stringify({ ...inTransit, id: randomUUID(), sequence: 2 ** 31 }),
          reason: /sequence 2147483648 is beyond/,
        },
      ];
      // A second event claiming sequence 1 of the delivery: only one can be its first event.
      const sequenceTaken = {
        value: JSON.stringify({ ...created, id: randomUUID() }),
        reason: /already has another event with sequence 1/,
      };

      await producer.sendRaw(malformed.map(({ value }) => ({ key: deliveryId, value })));
      await producer.publish([created]);
      await producer.sendRaw([{ key: deliveryId, value: sequenceTaken.value }]);
      await producer.publish([inTransit]);

      const history = await waitForHistory(service, deliveryId, 2, operator);
      expect(history.map((entry) => entry.eventId)).toEqual([created.id, inTransit.id]);

      const expected = [...malformed, sequenceTaken];
      const letters = await waitFor(
        () => {
          const found = reader.lettersFrom(groupId, deliveryId);
          return found.length >= expected.length ? found : undefined;
        },
        { timeoutMs: 30_000, description: `${expected.length} dead letters of ${deliveryId}` },
      );
      expect(letters).toHaveLength(expected.length);
      for (const { value, reason } of expected) {
        // The dead letter keeps the message byte for byte, so it can be inspected and redriven.
        const letter = letters.find((candidate) => candidate.value?.toString() === value);
        expect(letter).toBeDefined();
        expect(header(letter!, DLQ_HEADERS.errorMessage)).toMatch(reason);
        expect(header(letter!, DLQ_HEADERS.errorType)).toBe('InvalidMessageError');
        expect(header(letter!, DLQ_HEADERS.attempts)).toBe('1');
        expect(header(letter!, DLQ_HEADERS.sourceTopic)).toBe('delivery.events.v1');
      }
    } finally {
      await reader.stop();
    }
  });

  describe('search', () => {
    it("pages an account's deliveries newest first, within [from, to)", async () => {
      const accountId = randomUUID();
      const otherAccount = randomUUID();
      const t0 = new Date('2026-11-10T12:00:00.000Z').getTime();
      const [first, second, third] = [0, 1, 2].map((hours) =>
        lifecycle(accountId, new Date(t0 + hours * HOUR), ['DeliveryCreated']),
      );
      const elsewhere = lifecycle(otherAccount, new Date(t0 + HOUR), ['DeliveryCreated']);
      const all = [first, second, third, elsewhere];
      await producer.publish(all.flatMap((delivery) => delivery.events));
      for (const delivery of all) await waitForHistory(service, delivery.deliveryId, 1, operator);

      const page1 = await searchDeliveries(service, { accountId, limit: '2' }, customer(accountId));
      expect(page1.status).toBe(200);
      expect(page1.body.items.map((item) => item.deliveryId)).toEqual([
        third.deliveryId,
        second.deliveryId,
      ]);
      expect(page1.body.nextCursor).toEqual(expect.any(String));

      const page2 = await searchDeliveries(
        service,
        { accountId, limit: '2', cursor: page1.body.nextCursor as string },
        customer(accountId),
      );
      expect(page2.body).toEqual({ items: [expectedSummary(first)], nextCursor: null });

      // from is inclusive, to exclusive.
      const window = await searchDeliveries(
        service,
        {
          accountId,
          from: new Date(t0 + HOUR).toISOString(),
          to: new Date(t0 + 2 * HOUR).toISOString(),
        },
        customer(accountId),
      );
      expect(window.body.items).toEqual([expectedSummary(second)]);
    });

    it('finds nothing, not a 404, for an account without deliveries', async () => {
      const accountId = randomUUID();
      const found = await searchDeliveries(service, { accountId }, customer(accountId));
      expect(found.status).toBe(200);
      expect(found.body).toEqual({ items: [], nextCursor: null });
    });

    const accountId = randomUUID();
    it.each<[string, Record<string, string>, string]>([
      ['an accountId that is not a UUID', { accountId: 'contoso' }, 'accountId'],
      ['a from that is no date', { accountId, from: 'yesterday' }, 'from'],
      ['a week date', { accountId, from: '2026-W47' }, 'from'],
      ['a to that is no date', { accountId, to: '2026-13-01T00:00:00Z' }, 'to'],
      [
        'from after to',
        { accountId, from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' },
        'from',
      ],
      [
        'from equal to to',
        { accountId, from: '2026-11-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
        'from',
      ],
      ['limit 0', { accountId, limit: '0' }, 'limit'],
      ['limit 201', { accountId, limit: '201' }, 'limit'],
      ['a limit that is no number', { accountId, limit: 'all' }, 'limit'],
      ['a fractional limit', { accountId, limit: '1.5' }, 'limit'],
      ['a cursor it never gave out', { accountId, cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
      ['an unknown parameter', { accountId, colour: 'red' }, 'colour'],
    ])('answers 400 naming the field for %s', async (_, query, field) => {
      const answer = await searchDeliveries<ProblemDetails>(service, query, customer(accountId));

      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(answer.body.errors?.map((error) => error.field)).toContain(field);
    });
  });

  describe('history', () => {
    it('answers 404 with a problem for a delivery it has no event of', async () => {
      const answer = await getHistory<ProblemDetails>(service, randomUUID(), operator);

      expect(answer.status).toBe(404);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(answer.body.status).toBe(404);
    });

    it('answers 400, not 500, for an id that is not a UUID', async () => {
      const answer = await getHistory<ProblemDetails>(service, 'not-a-uuid', operator);

      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
    });

    it('lists to an operator a delivery whose DeliveryCreated has not arrived yet, which search cannot find', async () => {
      const accountId = randomUUID();
      const delivery = lifecycle(accountId, new Date('2026-11-23T10:00:00.000Z'), [
        'DeliveryCreated',
        'DeliveryInTransit',
      ]);
      const [created, inTransit] = delivery.events as [DeliveryEvent, DeliveryEvent];

      await producer.publish([inTransit]);
      expect(await waitForHistory(service, delivery.deliveryId, 1, operator)).toEqual(
        expectedHistory([inTransit]),
      );
      expect((await searchDeliveries(service, { accountId }, operator)).body.items).toEqual([]);

      await producer.publish([created]);
      await waitForHistory(service, delivery.deliveryId, 2, operator);
      expect((await searchDeliveries(service, { accountId }, operator)).body.items).toEqual([
        expectedSummary(delivery),
      ]);
    });
  });
});
