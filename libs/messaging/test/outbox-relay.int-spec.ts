/**
 * The outbox relay against real Postgres and Kafka: every row is published, in order per key,
 * with several relays running at once, and nothing is lost when sends fail for a while.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  createIdempotentProducer,
  createInboxTableSql,
  createOutboxTableSql,
  ensureTopics,
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
    for (const sql of [...createOutboxTableSql(), ...createInboxTableSql()]) {
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
    for (const sql of createInboxTableSql()) await dataSource.query(sql);
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
});
