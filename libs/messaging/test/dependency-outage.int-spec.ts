/**
 * A database outage as a consumer lives through it, against real Kafka and Postgres: the
 * handler's database goes away (a TCP hop in front of Postgres is cut: open connections drop,
 * new ones are refused) for longer than a message's attempts last, while messages arrive. When
 * it is back, every message is applied and none was dead-lettered for the outage; a message that
 * fails on its own (a check constraint) is still dead-lettered after its attempts.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { postgresOptions } from '@drone-delivery/persistence';
import {
  createTestDatabase,
  type TestDatabase,
  testKafkaBrokers,
  uniqueGroupId,
  uniqueTopic,
  waitFor,
} from '@drone-delivery/testing';
import {
  DLQ_HEADERS,
  deadLetterTopic,
  ensureTopicsWithDeadLetters,
  kafkaTransportOptions,
  ReliableKafkaServer,
  RethrowRpcExceptionFilter,
} from '../src';

const TOPIC = uniqueTopic('stocked-orders');
const MAX_ATTEMPTS = 3;

interface StockedOrder {
  orderId: string;
  /** The table refuses 0 or less: such an order fails on its own, whatever the database. */
  quantity: number;
}

/** The handler's database, reached through the link the test cuts. */
let ordersDb: DataSource;
/** Order ids, once per failed try of the handler. */
const failedTries: string[] = [];

@Controller()
class StockedOrderConsumer {
  @EventPattern<string>(TOPIC)
  async applyOrder(@Payload() order: StockedOrder): Promise<void> {
    try {
      await ordersDb.query(
        `INSERT INTO applied_orders (order_id, quantity) VALUES ($1, $2)
         ON CONFLICT DO NOTHING`,
        [order.orderId, order.quantity],
      );
    } catch (error) {
      failedTries.push(order.orderId);
      throw error;
    }
  }
}

@Module({ controllers: [StockedOrderConsumer] })
class StockedOrderModule {}

/** A TCP hop in front of Postgres: cut, it drops its connections and refuses new ones. */
class CuttableLink {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const [socket, other] of [
        [client, upstream],
        [upstream, client],
      ]) {
        this.sockets.add(socket);
        socket.on('error', () => other.destroy());
        socket.on('close', () => {
          this.sockets.delete(socket);
          other.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    // The same port each time, as a database server that restarts.
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise((resolve) => server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe('ReliableKafkaServer during a database outage', () => {
  const brokers = testKafkaBrokers();
  const kafka = new Kafka({ clientId: 'outage-test', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const dlqConsumer = kafka.consumer({ groupId: uniqueGroupId('outage-dlq-reader') });
  const deadLetters: KafkaMessage[] = [];
  let database: TestDatabase;
  let link: CuttableLink;
  /** Reads what was applied, straight from Postgres, outage or not. */
  let observer: DataSource;
  let app: INestMicroservice;

  beforeAll(async () => {
    database = await createTestDatabase('outage');
    const direct = new URL(database.url);
    link = new CuttableLink({ host: direct.hostname, port: Number(direct.port) });
    await link.open();
    const throughLink = new URL(database.url);
    throughLink.hostname = '127.0.0.1';
    throughLink.port = String(link.port);
    observer = new DataSource({ type: 'postgres', url: database.url });
    ordersDb = new DataSource(
      postgresOptions({
        url: throughLink.toString(),
        applicationName: 'outage-test',
        entities: [],
        migrations: [],
        poolSize: 2,
      }),
    );
    await Promise.all([observer.initialize(), ordersDb.initialize()]);
    await observer.query(
      `CREATE TABLE applied_orders (order_id text PRIMARY KEY, quantity int NOT NULL CHECK (quantity > 0))`,
    );

    await ensureTopicsWithDeadLetters(brokers, [{ topic: TOPIC, numPartitions: 1 }]);
    app = await startConsumer();
    await Promise.all([producer.connect(), dlqConsumer.connect()]);
    await dlqConsumer.subscribe({ topic: deadLetterTopic(TOPIC), fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: ({ message }) => {
        deadLetters.push(message);
        return Promise.resolve();
      },
    });
  });

  const groupId = uniqueGroupId('stocked-orders');
  async function startConsumer(): Promise<INestMicroservice> {
    const { options = {} } = kafkaTransportOptions({
      clientId: 'stocked-orders',
      brokers,
      groupId,
    });
    const moduleRef = await Test.createTestingModule({ imports: [StockedOrderModule] }).compile();
    const consumer = moduleRef.createNestMicroservice({
      strategy: new ReliableKafkaServer(options, {
        maxAttempts: MAX_ATTEMPTS,
        initialBackoffMs: 20,
        maxBackoffMs: 50,
        outageInitialBackoffMs: 50,
        outageMaxBackoffMs: 200,
      }),
      logger: false,
    });
    consumer.useGlobalFilters(new RethrowRpcExceptionFilter());
    await consumer.listen();
    return consumer;
  }

  afterAll(async () => {
    await Promise.allSettled([app?.close(), producer.disconnect(), dlqConsumer.disconnect()]);
    await link?.cut();
    await Promise.allSettled([ordersDb?.destroy(), observer?.destroy()]);
    await database?.drop();
  });

  const send = (...orders: StockedOrder[]) =>
    producer.send({
      topic: TOPIC,
      messages: orders.map((order) => ({ key: order.orderId, value: JSON.stringify(order) })),
    });
  const applied = async (): Promise<string[]> =>
    (await observer.query<{ order_id: string }[]>('SELECT order_id FROM applied_orders')).map(
      (row) => row.order_id,
    );

  it('applies every message once the database is back and dead-letters only the poison one', async () => {
    await send({ orderId: 'warm-up', quantity: 1 });
    await waitFor(async () => (await applied()).includes('warm-up'), {
      timeoutMs: 30_000,
      description: 'the consumer running',
    });

    await link.cut();
    await send(
      { orderId: 'o-1', quantity: 1 },
      { orderId: 'o-2', quantity: 2 },
      { orderId: 'poison', quantity: 0 },
      { orderId: 'o-3', quantity: 3 },
    );
    // Down for longer than the attempts of several messages last: before, that many failed
    // tries meant the first messages had been dead-lettered.
    await waitFor(() => failedTries.length >= 3 * MAX_ATTEMPTS, {
      timeoutMs: 30_000,
      description: `${3 * MAX_ATTEMPTS} failed tries during the outage`,
    });
    await send({ orderId: 'o-4', quantity: 4 });
    await link.open();

    await waitFor(async () => (await applied()).length === 5, {
      timeoutMs: 30_000,
      description: 'every valid order applied',
    });
    expect((await applied()).sort()).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'warm-up']);
    // o-1 was tried through the whole outage, beyond its attempts, and never dead-lettered.
    expect(failedTries.filter((id) => id === 'o-1').length).toBeGreaterThan(MAX_ATTEMPTS);

    // The poison order came before o-3 on the one partition: its dead letter was written
    // before o-3 was handled, so the DLQ is complete once it shows up there.
    const letter = await waitFor(
      () => deadLetters.find((message) => message.key?.toString() === 'poison'),
      { timeoutMs: 20_000, description: 'the poison order in the DLQ' },
    );
    expect(deadLetters.map((message) => message.key?.toString())).toEqual(['poison']);
    expect(letter.headers?.[DLQ_HEADERS.attempts]?.toString()).toBe(String(MAX_ATTEMPTS));
    expect(letter.headers?.[DLQ_HEADERS.errorMessage]?.toString()).toMatch(/check constraint/);
  });

  it('stops at once while waiting for the database, leaving the message for the next run', async () => {
    await link.cut();
    const before = failedTries.length;
    await send({ orderId: 'o-5', quantity: 5 });
    await waitFor(() => failedTries.slice(before).includes('o-5'), {
      timeoutMs: 30_000,
      description: 'o-5 failing during the outage',
    });
    // Resolves while the database is still down, instead of waiting for the outage to end.
    await app.close();
    expect(await applied()).not.toContain('o-5');

    await link.open();
    app = await startConsumer();
    await waitFor(async () => (await applied()).includes('o-5'), {
      timeoutMs: 30_000,
      description: 'o-5 applied after the restart',
    });
    expect(deadLetters.map((message) => message.key?.toString())).toEqual(['poison']);
  });
});
