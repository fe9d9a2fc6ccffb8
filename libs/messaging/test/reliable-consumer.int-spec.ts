/**
 * The consumer guarantees, against a real Kafka: a failing message is retried a bounded number
 * of times and then dead-lettered with its reason; an invalid one is dead-lettered at once; and
 * in both cases the partition keeps moving, so the next valid message is handled.
 */
import { Controller, type INestApplication, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import {
  connectReliableKafkaConsumer,
  DLQ_HEADERS,
  deadLetterTopic,
  ensureTopics,
  ensureTopicsWithDeadLetters,
  InvalidMessageError,
  kafkaTransportOptions,
  redriveDeadLetters,
  ReliableKafkaServer,
  RethrowRpcExceptionFilter,
} from '../src';
import { testKafkaBrokers, uniqueGroupId, uniqueTopic, waitFor } from '@drone-delivery/testing';

const TOPIC = uniqueTopic('orders');

interface Order {
  orderId: string;
  failTimes?: number;
  alwaysFail?: boolean;
}

/** What the handler saw, per order id: attempts and whether it finally succeeded. */
const attempts = new Map<string, number>();
const handled: string[] = [];

@Controller()
class OrderConsumer {
  @EventPattern<string>(TOPIC)
  recordOrder(@Payload() order: unknown): void {
    if (typeof order !== 'object' || order === null || !('orderId' in order)) {
      throw new InvalidMessageError('not an order');
    }
    const { orderId, failTimes = 0, alwaysFail } = order as Order;
    const attempt = (attempts.get(orderId) ?? 0) + 1;
    attempts.set(orderId, attempt);
    if (alwaysFail) throw new Error(`warehouse unreachable for ${orderId}`);
    if (attempt <= failTimes) throw new Error(`transient failure ${attempt}`);
    handled.push(orderId);
  }
}

@Module({ controllers: [OrderConsumer] })
class OrderModule {}

describe('ReliableKafkaServer', () => {
  const brokers = testKafkaBrokers();
  const kafka = new Kafka({
    clientId: 'reliable-consumer-test',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  const dlqConsumer = kafka.consumer({ groupId: uniqueGroupId('dlq-reader') });
  const deadLetters: KafkaMessage[] = [];
  let app: INestMicroservice;

  beforeAll(async () => {
    await ensureTopics(brokers, [
      { topic: TOPIC, numPartitions: 1 },
      { topic: deadLetterTopic(TOPIC), numPartitions: 1 },
    ]);
    const moduleRef = await Test.createTestingModule({ imports: [OrderModule] }).compile();
    const { options } = kafkaTransportOptions({
      clientId: 'orders',
      brokers,
      groupId: uniqueGroupId('orders'),
    });
    app = moduleRef.createNestMicroservice({
      strategy: new ReliableKafkaServer(options ?? {}, {
        maxAttempts: 3,
        initialBackoffMs: 20,
        maxBackoffMs: 50,
      }),
      logger: false,
    });
    app.useGlobalFilters(new RethrowRpcExceptionFilter());
    await app.listen();
    await producer.connect();
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: deadLetterTopic(TOPIC), fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: ({ message }) => {
        deadLetters.push(message);
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    await Promise.allSettled([app?.close(), producer.disconnect(), dlqConsumer.disconnect()]);
  });

  const send = (key: string, value: string) =>
    producer.send({ topic: TOPIC, messages: [{ key, value }] });
  const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();

  it('retries a transient failure and handles the message once it succeeds', async () => {
    await send('o-1', JSON.stringify({ orderId: 'o-1', failTimes: 2 }));
    await waitFor(() => handled.includes('o-1'), { timeoutMs: 20_000, description: 'o-1 handled' });
    expect(attempts.get('o-1')).toBe(3);
  });

  it('dead-letters a message that keeps failing, with the reason, and moves on', async () => {
    await send('o-2', JSON.stringify({ orderId: 'o-2', alwaysFail: true }));
    await send('o-3', JSON.stringify({ orderId: 'o-3' }));
    await waitFor(() => handled.includes('o-3'), { timeoutMs: 20_000, description: 'o-3 handled' });
    const letter = await waitFor(
      () => deadLetters.find((message) => message.key?.toString() === 'o-2'),
      { timeoutMs: 20_000, description: 'o-2 in the DLQ' },
    );
    expect(attempts.get('o-2')).toBe(3);
    expect(JSON.parse(letter.value!.toString())).toEqual({ orderId: 'o-2', alwaysFail: true });
    expect(header(letter, DLQ_HEADERS.sourceTopic)).toBe(TOPIC);
    expect(header(letter, DLQ_HEADERS.sourcePartition)).toBe('0');
    expect(Number(header(letter, DLQ_HEADERS.sourceOffset))).toBeGreaterThanOrEqual(0);
    expect(header(letter, DLQ_HEADERS.attempts)).toBe('3');
    expect(header(letter, DLQ_HEADERS.errorMessage)).toBe('warehouse unreachable for o-2');
  });

  it('dead-letters malformed messages at once, without retries', async () => {
    await send('bad-json', '{"orderId": ');
    await send('wrong-shape', JSON.stringify({ sku: 'x' }));
    await send('o-4', JSON.stringify({ orderId: 'o-4' }));
    await waitFor(() => handled.includes('o-4'), { timeoutMs: 20_000, description: 'o-4 handled' });
    for (const key of ['bad-json', 'wrong-shape']) {
      const letter = await waitFor(
        () => deadLetters.find((message) => message.key?.toString() === key),
        { timeoutMs: 20_000, description: `${key} in the DLQ` },
      );
      expect(header(letter, DLQ_HEADERS.attempts)).toBe('1');
      expect(header(letter, DLQ_HEADERS.errorType)).toBe('InvalidMessageError');
    }
    // The malformed value is kept byte for byte, so it can be inspected and redriven.
    const badJson = deadLetters.find((message) => message.key?.toString() === 'bad-json');
    expect(badJson?.value?.toString()).toBe('{"orderId": ');
    expect(handled).toEqual(['o-1', 'o-3', 'o-4']);
  });
});

/** The same guarantees in a hybrid app (HTTP + Kafka), the way services connect consumers. */
const HYBRID_TOPIC = uniqueTopic('hybrid-orders');
const hybridHandled: string[] = [];

@Controller()
class HybridOrderConsumer {
  @EventPattern<string>(HYBRID_TOPIC)
  recordOrder(@Payload() order: unknown): void {
    if (typeof order !== 'object' || order === null || !('orderId' in order)) {
      throw new InvalidMessageError('not an order: orderId is missing');
    }
    hybridHandled.push((order as Order).orderId);
  }
}

@Module({ controllers: [HybridOrderConsumer] })
class HybridOrderModule {}

describe('connectReliableKafkaConsumer in a hybrid app', () => {
  const brokers = testKafkaBrokers();
  const kafka = new Kafka({ clientId: 'hybrid-test', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const dlqConsumer = kafka.consumer({ groupId: uniqueGroupId('hybrid-dlq-reader') });
  const deadLetters: KafkaMessage[] = [];
  let app: INestApplication;

  beforeAll(async () => {
    await ensureTopicsWithDeadLetters(brokers, [{ topic: HYBRID_TOPIC, numPartitions: 1 }]);
    const moduleRef = await Test.createTestingModule({ imports: [HybridOrderModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectReliableKafkaConsumer(app, {
      clientId: 'hybrid-orders',
      brokers,
      groupId: uniqueGroupId('hybrid-orders'),
    });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    await producer.connect();
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: deadLetterTopic(HYBRID_TOPIC), fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: ({ message }) => {
        deadLetters.push(message);
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    await Promise.allSettled([app?.close(), producer.disconnect(), dlqConsumer.disconnect()]);
  });

  it('dead-letters an invalid message at once with its real reason', async () => {
    await producer.send({
      topic: HYBRID_TOPIC,
      messages: [
        { key: 'bad', value: JSON.stringify({ sku: 'x' }) },
        { key: 'good', value: JSON.stringify({ orderId: 'h-1' }) },
      ],
    });
    await waitFor(() => hybridHandled.includes('h-1'), { timeoutMs: 20_000, description: 'h-1' });
    const letter = await waitFor(
      () => deadLetters.find((message) => message.key?.toString() === 'bad'),
      { timeoutMs: 20_000, description: 'the invalid message in the DLQ' },
    );
    expect(letter.headers?.[DLQ_HEADERS.attempts]?.toString()).toBe('1');
    expect(letter.headers?.[DLQ_HEADERS.errorType]?.toString()).toBe('InvalidMessageError');
    expect(letter.headers?.[DLQ_HEADERS.errorMessage]?.toString()).toBe(
      'not an order: orderId is missing',
    );
  });
});

/** Dead letters sent back once the cause is fixed. */
const REDRIVE_TOPIC = uniqueTopic('redrive-orders');
const redriveState = { warehouseUp: false, handled: [] as string[] };

@Controller()
class RedriveOrderConsumer {
  @EventPattern<string>(REDRIVE_TOPIC)
  recordOrder(@Payload() order: Order): void {
    if (!redriveState.warehouseUp) throw new Error('warehouse unreachable');
    redriveState.handled.push(order.orderId);
  }
}

@Module({ controllers: [RedriveOrderConsumer] })
class RedriveOrderModule {}

describe('redriveDeadLetters', () => {
  const brokers = testKafkaBrokers();
  const producer = new Kafka({
    clientId: 'redrive-test',
    brokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  let app: INestApplication;

  beforeAll(async () => {
    await ensureTopicsWithDeadLetters(brokers, [{ topic: REDRIVE_TOPIC, numPartitions: 2 }]);
    const moduleRef = await Test.createTestingModule({ imports: [RedriveOrderModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectReliableKafkaConsumer(
      app,
      { clientId: 'redrive-orders', brokers, groupId: uniqueGroupId('redrive-orders') },
      { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20 },
    );
    await app.startAllMicroservices();
    await app.init();
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.allSettled([app?.close(), producer.disconnect()]);
  });

  it('sends dead letters back to their topic once, after the cause is fixed', async () => {
    await producer.send({
      topic: REDRIVE_TOPIC,
      messages: ['r-1', 'r-2', 'r-3'].map((orderId) => ({
        key: orderId,
        value: JSON.stringify({ orderId }),
      })),
    });
    const groupId = uniqueGroupId('redrive');
    await waitFor(
      async () => {
        const { redriven } = await redriveDeadLetters({
          brokers,
          topic: REDRIVE_TOPIC,
          groupId,
          dryRun: true,
        });
        return redriven === 3;
      },
      { timeoutMs: 20_000, intervalMs: 500, description: 'three dead letters' },
    );
    expect(redriveState.handled).toEqual([]);

    redriveState.warehouseUp = true;
    expect(await redriveDeadLetters({ brokers, topic: REDRIVE_TOPIC, groupId })).toEqual({
      redriven: 3,
    });
    await waitFor(() => redriveState.handled.length === 3, {
      timeoutMs: 20_000,
      description: 'redriven orders handled',
    });
    expect([...redriveState.handled].sort()).toEqual(['r-1', 'r-2', 'r-3']);
    // Its progress is committed: a second run has nothing to send.
    expect(await redriveDeadLetters({ brokers, topic: REDRIVE_TOPIC, groupId })).toEqual({
      redriven: 0,
    });
  });
});
