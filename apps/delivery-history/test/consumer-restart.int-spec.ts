/**
 * delivery-history stopped and started: a crash mid-stream loses and doubles nothing (offsets
 * are committed only after the event and its inbox row are), and a graceful stop leaves the
 * consumer group at once.
 */
import { randomUUID } from 'node:crypto';
import { type DeliveryEventName } from '@drone-delivery/contracts';
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
  countInboxRows,
  countTimelineRows,
  DeliveryEventsProducer,
  expectedHistory,
  getHistory,
  lifecycle,
  searchDeliveries,
  startDeliveryHistory,
  testKafka,
  waitForHistory,
  waitUntilConsumed,
  withDatabase,
} from './delivery-history.fixtures';

const kafka = testKafka('delivery-history-restart-spec');

describe('delivery-history killed mid-stream', () => {
  const groupId = uniqueGroupId('history');
  const producer = new DeliveryEventsProducer();
  let database: TestDatabase;
  let issuer: TestIssuer;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_history_crash'),
      startTestIssuer(),
    ]);
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  it('stores every event exactly once after a SIGKILL and a restart with the same group', async () => {
    const accountId = randomUUID();
    const names: DeliveryEventName[] = [
      'DeliveryCreated',
      ...Array<DeliveryEventName>(7).fill('DeliveryRescheduled'),
      'DeliveryInTransit',
      'DeliveryCompleted',
    ];
    const start = new Date('2026-11-15T06:00:00.000Z').getTime();
    const deliveries = Array.from({ length: 20 }, (_, index) =>
      lifecycle(accountId, new Date(start + index * 60_000), names),
    );
    const deliveryIds = deliveries.map((delivery) => delivery.deliveryId);
    const eventIds = deliveries.flatMap((delivery) => delivery.events.map((event) => event.id));
    const total = eventIds.length;
    expect(total).toBe(200);

    service = await startDeliveryHistory(database, groupId, issuer);
    // Interleaved across deliveries, as a busy delivery service would publish them.
    await producer.publish(
      names.flatMap((_, sequence) => deliveries.map((delivery) => delivery.events[sequence])),
    );

    const storedAtKill = await withDatabase(database, async (db) => {
      await waitFor(async () => (await countTimelineRows(db, deliveryIds)) > 0, {
        timeoutMs: 30_000,
        intervalMs: 5,
        description: 'the first events stored',
      });
      await service!.kill();
      return countTimelineRows(db, deliveryIds);
    });
    // Otherwise this run did not crash mid-stream and proves nothing.
    expect(storedAtKill).toBeGreaterThan(0);
    expect(storedAtKill).toBeLessThan(total);

    // The killed member holds its partitions until its session times out (30 s), so the new
    // one waits that long to join.
    service = await startDeliveryHistory(database, groupId, issuer, { readyTimeoutMs: 90_000 });
    await withDatabase(database, (db) =>
      waitFor(async () => (await countTimelineRows(db, deliveryIds)) >= total, {
        timeoutMs: 90_000,
        intervalMs: 250,
        description: `${total} events stored`,
      }),
    );
    // Everything redelivered after the crash has been handled too.
    await waitUntilConsumed(kafka, groupId);

    await withDatabase(database, async (db) => {
      expect(await countTimelineRows(db, deliveryIds)).toBe(total);
      expect(await countInboxRows(db, eventIds)).toBe(total);
    });
    for (const delivery of deliveries) {
      expect((await getHistory(service, delivery.deliveryId, asOperator(issuer))).body).toEqual(
        expectedHistory(delivery.events),
      );
    }
    const found = await searchDeliveries(
      service,
      { accountId, limit: '200' },
      asCustomer(issuer, accountId),
    );
    expect(found.body.items).toHaveLength(20);
    expect(new Set(found.body.items.map((item) => item.stage))).toEqual(new Set(['Completed']));
  }, 240_000);
});

describe('delivery-history stopped with SIGTERM', () => {
  const groupId = uniqueGroupId('history-shutdown');
  const producer = new DeliveryEventsProducer();
  let database: TestDatabase;
  let issuer: TestIssuer;

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_history_stop'),
      startTestIssuer(),
    ]);
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  it('leaves its consumer group at once and exits without errors', async () => {
    const service = await startDeliveryHistory(database, groupId, issuer);
    const delivery = lifecycle(randomUUID(), new Date(), ['DeliveryCreated']);
    await producer.publish(delivery.events);
    await waitForHistory(service, delivery.deliveryId, 1, asOperator(issuer));

    // Other test files leave malformed messages on the shared topic, and a new group reads it
    // from the start, dead-lettering each with an error log: let it get through them first, so
    // the stop happens with nothing in hand and only what it says while shutting down is checked.
    await waitUntilConsumed(kafka, groupId);
    const printedBeforeStop = service.printed();
    await service.stop();

    // A consumer that just vanished would stay a member until its 30 s session timed out,
    // holding its partitions; one that closed properly has left.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const group = await waitFor(
        async () => {
          const {
            groups: [described],
          } = await admin.describeGroups([`${groupId}-server`]);
          return described.state === 'Empty' ? described : undefined;
        },
        { timeoutMs: 5_000, description: 'the consumer group to be empty' },
      );
      expect(group.members).toEqual([]);
    } finally {
      await admin.disconnect();
    }
    expect(service.outputSince(printedBeforeStop)).not.toMatch(/"level":"(error|fatal)"/);
  });
});
