/**
 * The outbox relay against real Postgres and Kafka: every row is published, in order per key,
 * with several relays running at once, and nothing is lost when sends fail for a while.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  addInboxRetentionSql,
  addOutboxLeaseAndRetentionSql,
  createIdempotentProducer,
  createInboxTableSql,
  createOutboxTableSql,
  ensureTopics,
  inboxPruner,
  OutboxRelay,
  recordInInbox,
} from '../src';
import {
  createTestDatabase,
  type TestDatabase,
  testKafkaBrokers,
  uniqueGroupId,
  uniqueTopic,
  waitFor,
} from '@drone-delivery/testing';

interface Received {
  key: string;
  sequence: number;
  id: string;
}

describe('OutboxRelay', () => {
  const brokers = testKafkaBrokers();
  const kafka = new Kafka({ clientId: 'outbox-test', brokers, logLevel: logLevel.NOTHING });
  let database: TestDatabase;
  let dataSource: DataSource;
  const producers: Producer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('outbox_relay');
    dataSource = new DataSource({ type: 'postgres', url: database.url, poolSize: 10 });
    await dataSource.initialize();
    for (const sql of [
      ...createOutboxTableSql(),
      ...addOutboxLeaseAndRetentionSql(),
      ...createOutboxTableSql('pruned_outbox'),
      ...addOutboxLeaseAndRetentionSql('pruned_outbox'),
    ]) {
      await dataSource.query(sql);
    }
  });

  afterAll(async () => {
    await Promise.allSettled(producers.map((producer) => producer.disconnect()));
    await dataSource?.destroy();
    await database?.drop();
  });

  async function newProducer(): Promise<Producer> {
    const producer = createIdempotentProducer({ clientId: 'outbox-relay-test', brokers });
    await producer.connect();
    producers.push(producer);
    return producer;
  }

  /** Writes `perKey` events for each key, interleaved across keys as real traffic would be. */
  async function writeEvents(topic: string, keys: string[], perKey: number): Promise<void> {
    for (let sequence = 1; sequence <= perKey; sequence++) {
      for (const key of keys) {
        const id = randomUUID();
        await dataSource.query(
          'INSERT INTO outbox (id, topic, key, payload) VALUES ($1, $2, $3, $4)',
          [id, topic, key, JSON.stringify({ id, key, sequence })],
        );
      }
    }
  }

  async function consumeAll(topic: string, expected: number): Promise<Received[]> {
    const consumer = kafka.consumer({ groupId: uniqueGroupId('outbox-reader') });
    const received: Received[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        received.push(JSON.parse(message.value!.toString()) as Received);
        return Promise.resolve();
      },
    });
    try {
      await waitFor(() => received.length >= expected, {
        timeoutMs: 30_000,
        description: `${expected} messages on ${topic}`,
      });
      return received;
    } finally {
      await consumer.disconnect();
    }
  }

  function expectInOrderPerKey(received: Received[], keys: string[], perKey: number): void {
    for (const key of keys) {
      const sequences = received.filter((event) => event.key === key).map((e) => e.sequence);
      // At least once allows a repeat after a failure; a key's first sightings must be in order.
      const firstSeen = sequences.filter(
        (sequence, index) => sequences.indexOf(sequence) === index,
      );
      expect(firstSeen).toEqual(Array.from({ length: perKey }, (_, index) => index + 1));
    }
  }

  it('publishes every row once, in order per key, with three relays at once', async () => {
    const topic = uniqueTopic('outbox-events');
    await ensureTopics(brokers, [{ topic, numPartitions: 3 }]);
    const keys = Array.from({ length: 12 }, (_, index) => `delivery-${index}`);
    await writeEvents(topic, keys, 15);

    const relays = await Promise.all(
      [1, 2, 3].map(
        async () => new OutboxRelay({ dataSource, producer: await newProducer(), batchSize: 7 }),
      ),
    );
    relays.forEach((relay) => relay.start());
    await waitFor(async () => (await relays[0].backlog()) === 0, {
      timeoutMs: 30_000,
      description: 'an empty outbox',
    });
    await Promise.all(relays.map((relay) => relay.stop()));

    const received = await consumeAll(topic, keys.length * 15);
    expect(received).toHaveLength(keys.length * 15);
    expect(new Set(received.map((event) => event.id)).size).toBe(keys.length * 15);
    expectInOrderPerKey(received, keys, 15);
  });

  it('keeps rows through failed sends and publishes them once sends work again', async () => {
    const topic = uniqueTopic('outbox-outage');
    await ensureTopics(brokers, [{ topic, numPartitions: 2 }]);
    const keys = ['a', 'b', 'c'];
    await writeEvents(topic, keys, 5);

    // A broker outage as the relay sees it: sendBatch rejects until the "broker" is back.
    const real = await newProducer();
    let brokerUp = false;
    let failedSends = 0;
    const flaky = {
      sendBatch: (batch: Parameters<Producer['sendBatch']>[0]) => {
        if (!brokerUp) {
          failedSends++;
          return Promise.reject(new Error('Connection error: ECONNREFUSED'));
        }
        return real.sendBatch(batch);
      },
    } as unknown as Producer;
    const relay = new OutboxRelay({ dataSource, producer: flaky, maxBackoffMs: 200 });
    relay.start();
    await waitFor(() => failedSends >= 3, { timeoutMs: 10_000, description: 'failed sends' });
    expect(await relay.backlog()).toBe(15);

    brokerUp = true;
    await waitFor(async () => (await relay.backlog()) === 0, {
      timeoutMs: 20_000,
      description: 'the outbox drained after the outage',
    });
    await relay.stop();
    const received = await consumeAll(topic, 15);
    expect(new Set(received.map((event) => event.id)).size).toBe(15);
    expectInOrderPerKey(received, keys, 5);
  });

  it('holds no database transaction open while it sends', async () => {
    const topic = uniqueTopic('outbox-no-transaction');
    await ensureTopics(brokers, [{ topic, numPartitions: 1 }]);
    await writeEvents(topic, ['k'], 3);
    const observer = new DataSource({ type: 'postgres', url: database.url });
    await observer.initialize();
    const real = await newProducer();
    const openTransactions: number[] = [];
    const watched = {
      sendBatch: async (batch: Parameters<Producer['sendBatch']>[0]) => {
        // Every other session of this database: the relay's pool, and the test's.
        const [{ count }] = await observer.query<[{ count: number }]>(
          `SELECT count(*)::int AS count FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND backend_type = 'client backend'
              AND xact_start IS NOT NULL`,
        );
        openTransactions.push(count);
        return real.sendBatch(batch);
      },
    } as unknown as Producer;
    const relay = new OutboxRelay({ dataSource, producer: watched });
    try {
      relay.start();
      await waitFor(async () => (await relay.backlog()) === 0, {
        timeoutMs: 20_000,
        description: 'the outbox drained',
      });
    } finally {
      await relay.stop();
      await observer.destroy();
    }
    expect(openTransactions.length).toBeGreaterThan(0);
    expect(openTransactions.every((count) => count === 0)).toBe(true);
    expect(await consumeAll(topic, 3)).toHaveLength(3);
  });

  it('sends the rows of a relay that hung once its lease runs out, in order per key', async () => {
    const topic = uniqueTopic('outbox-lease');
    await ensureTopics(brokers, [{ topic, numPartitions: 2 }]);
    const keys = ['x', 'y'];
    await writeEvents(topic, keys, 4);

    // A relay whose broker never answers: it claims the first batch and is stuck sending it.
    let claimedByStuck = 0;
    let unstick: () => void = () => undefined;
    const stuckSend = new Promise<void>((resolve) => (unstick = resolve));
    const stuckProducer = {
      sendBatch: async (batch: Parameters<Producer['sendBatch']>[0]) => {
        claimedByStuck = batch.topicMessages!.flatMap((t) => t.messages).length;
        await stuckSend;
        throw new Error('Connection error: request timed out');
      },
    } as unknown as Producer;
    const stuck = new OutboxRelay({
      dataSource,
      producer: stuckProducer,
      batchSize: 3,
      leaseMs: 500,
    });
    stuck.start();
    await waitFor(() => claimedByStuck > 0, { timeoutMs: 10_000, description: 'a stuck claim' });

    const healthy = new OutboxRelay({ dataSource, producer: await newProducer() });
    healthy.start();
    try {
      await waitFor(async () => (await healthy.backlog()) === 0, {
        timeoutMs: 20_000,
        description: 'the healthy relay sent every row, the stuck ones too',
      });
    } finally {
      unstick();
      await Promise.all([healthy.stop(), stuck.stop(0)]);
    }
    const received = await consumeAll(topic, 8);
    expect(new Set(received.map((event) => event.id)).size).toBe(8);
    expectInOrderPerKey(received, keys, 4);
  });

  it('deletes published rows older than the retention, and keeps the rest', async () => {
    const relay = new OutboxRelay({
      dataSource,
      producer: await newProducer(),
      table: 'pruned_outbox',
      retentionMs: 7 * 24 * 3_600_000,
      idleDelayMs: 60_000,
    });
    const row = async (label: string, publishedAgo: string | null): Promise<void> => {
      await dataSource.query(
        `INSERT INTO pruned_outbox (id, topic, key, payload, created_at, published_at)
         VALUES ($1, 'unused-topic', $2, '{}', now() - interval '30 days',
                 now() - $3::interval)`,
        [randomUUID(), label, publishedAgo],
      );
    };
    await row('sent-long-ago', '8 days');
    await row('sent-long-ago-too', '30 days');
    await row('sent-lately', '6 days');
    // Never published, however old: it still has to go out.
    await row('unsent', null);
    const keys = async () =>
      (await dataSource.query<{ key: string }[]>('SELECT key FROM pruned_outbox ORDER BY key')).map(
        (r) => r.key,
      );

    expect(await relay.pruneSent()).toBe(2);
    expect(await keys()).toEqual(['sent-lately', 'unsent']);

    // A running relay prunes on its own, from the start.
    await row('sent-long-ago-again', '9 days');
    await dataSource.query(`UPDATE pruned_outbox SET locked_until = now() + interval '1 hour'`);
    relay.start();
    try {
      await waitFor(async () => !(await keys()).includes('sent-long-ago-again'), {
        timeoutMs: 10_000,
        description: 'the running relay pruning',
      });
    } finally {
      await relay.stop(0);
    }
    expect(await keys()).toEqual(['sent-lately', 'unsent']);
  });

  it('flushes what is left when stopped', async () => {
    const topic = uniqueTopic('outbox-flush');
    await ensureTopics(brokers, [{ topic, numPartitions: 1 }]);
    const relay = new OutboxRelay({
      dataSource,
      producer: await newProducer(),
      idleDelayMs: 60_000,
    });
    relay.start();
    await new Promise((resolve) => setImmediate(resolve));
    await writeEvents(topic, ['k'], 4);
    await relay.stop();
    expect(await relay.backlog()).toBe(0);
    expect(await consumeAll(topic, 4)).toHaveLength(4);
  });
});

describe('recordInInbox', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('inbox');
    dataSource = new DataSource({ type: 'postgres', url: database.url });
    await dataSource.initialize();
    for (const sql of [...createInboxTableSql(), ...addInboxRetentionSql()]) {
      await dataSource.query(sql);
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('says yes once per consumer and event, and rolls back with the effect', async () => {
    const eventId = randomUUID();
    expect(await dataSource.transaction((m) => recordInInbox(m, 'history', eventId))).toBe(true);
    expect(await dataSource.transaction((m) => recordInInbox(m, 'history', eventId))).toBe(false);
    expect(await dataSource.transaction((m) => recordInInbox(m, 'notifier', eventId))).toBe(true);

    const other = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        await recordInInbox(manager, 'history', other);
        throw new Error('the effect failed');
      }),
    ).rejects.toThrow('the effect failed');
    // The failed attempt left no trace, so a redelivery is handled.
    expect(await dataSource.transaction((m) => recordInInbox(m, 'history', other))).toBe(true);
  });

  it('forgets entries older than the retention, and keeps the recent ones', async () => {
    const entry = (eventId: string, handledAgo: string) =>
      dataSource.query(
        `INSERT INTO inbox (consumer, event_id, handled_at) VALUES ('pruned', $1, now() - $2::interval)`,
        [eventId, handledAgo],
      );
    await entry('old-1', '15 days');
    await entry('old-2', '20 days');
    await entry('recent', '13 days');
    const pruner = inboxPruner({ dataSource, retentionMs: 14 * 24 * 3_600_000, batchSize: 1 });

    // Batches of one: the pruning goes on until a batch comes back short.
    expect(await pruner.prune()).toBe(2);
    const left = await dataSource.query<{ event_id: string }[]>(
      `SELECT event_id FROM inbox WHERE consumer = 'pruned'`,
    );
    expect(left.map((row) => row.event_id)).toEqual(['recent']);
    expect(await dataSource.transaction((m) => recordInInbox(m, 'pruned', 'recent'))).toBe(false);
  });
});
