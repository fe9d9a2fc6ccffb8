/**
 * The messaging metrics against real Kafka and Postgres, read as Prometheus would read them:
 * consumer lag while a consumer is behind and once it caught up, retries and dead letters of a
 * poison message by its source topic, and the outbox backlog counted at scrape time.
 */
import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { metricSampleValue, renderMetrics } from '@drone-delivery/observability';
import {
  addOutboxLeaseAndRetentionSql,
  createIdempotentProducer,
  createOutboxTableSql,
  deadLetterTopic,
  ensureTopics,
  ensureTopicsWithDeadLetters,
  kafkaTransportOptions,
  OutboxRelay,
  ReliableKafkaServer,
  RethrowRpcExceptionFilter,
} from '../src';
import {
  createTestDatabase,
  type TestDatabase,
  testKafkaBrokers,
  uniqueGroupId,
  uniqueTopic,
  waitFor,
} from '@drone-delivery/testing';

const TOPIC = uniqueTopic('metered-orders');

interface MeteredOrder {
  orderId: string;
  poison?: boolean;
  /** Handling waits until the test calls `releaseHeldOrder`. */
  hold?: boolean;
  padding?: string;
}

const handled: string[] = [];
let holding = false;
let heldSince = 0;
let releaseHeldOrder: () => void = () => undefined;
const held = new Promise<void>((resolve) => (releaseHeldOrder = resolve));

@Controller()
class MeteredOrderConsumer {
  @EventPattern<string>(TOPIC)
  async recordOrder(@Payload() order: MeteredOrder): Promise<void> {
    if (order.poison) throw new Error(`order ${order.orderId} is poison`);
    if (order.hold) {
      holding = true;
      heldSince = Date.now();
      await held;
    }
    handled.push(order.orderId);
  }
}

@Module({ controllers: [MeteredOrderConsumer] })
class MeteredOrderModule {}

const sample = async (name: string, labels: Record<string, string>) =>
  metricSampleValue(await renderMetrics(), name, labels);

describe('consumer metrics', () => {
  const brokers = testKafkaBrokers();
  const producer = new Kafka({
    clientId: 'consumer-metrics-test',
    brokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  const groupId = uniqueGroupId('metered-orders');
  /** The group as the broker knows it: Nest appends `-server`. */
  const group = `${groupId}-server`;
  const lag = () => sample('kafka_consumer_lag', { topic: TOPIC, partition: '0', group });
  let app: INestMicroservice;

  /** One send per message: each is its own record batch, so a fetch can return just one. */
  const send = async (...orders: MeteredOrder[]) => {
    for (const order of orders) {
      await producer.send({
        topic: TOPIC,
        messages: [{ key: order.orderId, value: JSON.stringify(order) }],
      });
    }
  };
  const padded = (prefix: string, count: number): MeteredOrder[] =>
    Array.from({ length: count }, (_, index) => ({
      orderId: `${prefix}-${index}`,
      padding: 'x'.repeat(1_000),
    }));

  beforeAll(async () => {
    await ensureTopicsWithDeadLetters(brokers, [{ topic: TOPIC, numPartitions: 1 }]);
    await producer.connect();
    // Written before the consumer starts: it begins 16 messages behind.
    await send(...padded('before', 10), { orderId: 'held', hold: true }, ...padded('after', 5));

    const { options = {} } = kafkaTransportOptions({ clientId: 'metered', brokers, groupId });
    // About one message per fetch, so the consumer catches up batch by batch.
    options.consumer = { ...options.consumer!, maxBytesPerPartition: 1_500 };
    const moduleRef = await Test.createTestingModule({ imports: [MeteredOrderModule] }).compile();
    app = moduleRef.createNestMicroservice({
      strategy: new ReliableKafkaServer(options, {
        maxAttempts: 2,
        initialBackoffMs: 20,
        maxBackoffMs: 50,
      }),
      logger: false,
    });
    app.useGlobalFilters(new RethrowRpcExceptionFilter());
    await app.listen();
  });

  afterAll(async () => {
    await Promise.allSettled([app?.close(), producer.disconnect()]);
  });

  it('reports the lag while the consumer is behind, and 0 once it caught up', async () => {
    await waitFor(() => holding, { timeoutMs: 30_000, description: 'the held order reached' });
    // The batches before the held order ended with the rest of the partition still unread.
    const behind = await lag();
    expect(behind).toBeGreaterThan(0);
    expect(behind).toBeLessThanOrEqual(15);

    // Held for at least 20 ms (a lower bound, whatever the machine's load), so its handling
    // time is sure to fall above the 5 ms bucket that the next test reads.
    await waitFor(() => Date.now() - heldSince >= 20, { timeoutMs: 5_000, intervalMs: 5 });
    releaseHeldOrder();
    await waitFor(() => handled.length === 16, { timeoutMs: 30_000, description: '16 handled' });
    await waitFor(async () => (await lag()) === 0, { timeoutMs: 10_000, description: 'lag 0' });
  });

  it('counts the retries and the dead letter of a poison message by its source topic', async () => {
    await send({ orderId: 'poison', poison: true }, { orderId: 'after-poison' });
    await waitFor(() => handled.includes('after-poison'), {
      timeoutMs: 30_000,
      description: 'the order after the poison one handled',
    });

    expect(await sample('kafka_dead_letters_total', { topic: TOPIC })).toBe(1);
    expect(await sample('kafka_dead_letters_total', { topic: deadLetterTopic(TOPIC) })).toBe(
      undefined,
    );
    // maxAttempts 2: one retry, then the dead letter.
    expect(await sample('kafka_consumer_retries_total', { topic: TOPIC })).toBe(1);
    const messages = (outcome: string) =>
      sample('kafka_consumer_handling_duration_seconds_count', { topic: TOPIC, outcome });
    expect(await messages('dead_lettered')).toBe(1);
    expect(await messages('handled')).toBe(17);
    // The held order took at least the 20 ms the test kept it waiting: not in the 5 ms bucket.
    expect(
      await sample('kafka_consumer_handling_duration_seconds_bucket', {
        topic: TOPIC,
        outcome: 'handled',
        le: '0.005',
      }),
    ).toBeLessThan(17);
  });
});

describe('outbox metrics', () => {
  const brokers = testKafkaBrokers();
  const table = 'metered_outbox';
  const backlog = () => sample('outbox_backlog', { table });
  let database: TestDatabase;
  let dataSource: DataSource;
  let producer: Producer;

  beforeAll(async () => {
    database = await createTestDatabase('outbox_metrics');
    dataSource = new DataSource({ type: 'postgres', url: database.url });
    await dataSource.initialize();
    for (const sql of [...createOutboxTableSql(table), ...addOutboxLeaseAndRetentionSql(table)]) {
      await dataSource.query(sql);
    }
    producer = createIdempotentProducer({ clientId: 'outbox-metrics-test', brokers });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dataSource?.destroy();
    await database?.drop();
  });

  const write = async (topic: string, count: number) => {
    for (let index = 0; index < count; index++) {
      const id = randomUUID();
      await dataSource.query(
        `INSERT INTO ${table} (id, topic, key, payload) VALUES ($1, $2, $3, $4)`,
        [id, topic, `key-${index}`, JSON.stringify({ id })],
      );
    }
  };

  it('reports the unpublished rows at each scrape, and what was published', async () => {
    const topic = uniqueTopic('metered-outbox');
    await ensureTopics(brokers, [{ topic, numPartitions: 1 }]);
    await write(topic, 3);
    // A broker outage as the relay sees it (as in outbox-relay.int-spec): rows stay unpublished.
    let brokerUp = false;
    let failedSends = 0;
    const flaky = {
      sendBatch: (batch: Parameters<Producer['sendBatch']>[0]) => {
        if (brokerUp) return producer.sendBatch(batch);
        failedSends++;
        return Promise.reject(new Error('Connection error: ECONNREFUSED'));
      },
    } as unknown as Producer;
    const relay = new OutboxRelay({ dataSource, producer: flaky, table, maxBackoffMs: 200 });
    expect(await backlog()).toBeUndefined();

    relay.start();
    try {
      await waitFor(() => failedSends >= 1, { timeoutMs: 10_000, description: 'a failed send' });
      expect(await backlog()).toBe(3);
      await write(topic, 2);
      expect(await backlog()).toBe(5);
      expect(await sample('outbox_published_total', { table })).toBeUndefined();

      brokerUp = true;
      await waitFor(async () => (await backlog()) === 0, {
        timeoutMs: 20_000,
        description: 'an empty outbox',
      });
      expect(await sample('outbox_published_total', { table })).toBe(5);
    } finally {
      await relay.stop();
    }
    // A stopped relay is no longer asked: its DataSource may be gone.
    expect(await backlog()).toBeUndefined();
  });
});
