/**
 * A service's start-up while the broker is not reachable yet (restarting, or its container
 * still starting): ensureTopics and the reliable consumer wait and carry on once the broker
 * answers, instead of failing and having the service exit (seen in the chaos run).
 */
import { createConnection, createServer, type Server } from 'node:net';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Kafka, logLevel } from 'kafkajs';
import {
  freePort,
  testKafkaBrokers,
  uniqueGroupId,
  uniqueTopic,
  waitFor,
} from '@drone-delivery/testing';
import { ensureTopics, kafkaTransportOptions, ReliableKafkaServer } from '../src';

const LATE_TOPIC = uniqueTopic('late-broker-orders');
const received: unknown[] = [];

@Controller()
class LateOrders {
  @EventPattern<string>(LATE_TOPIC)
  record(@Payload() order: unknown): void {
    received.push(order);
  }
}

@Module({ controllers: [LateOrders] })
class LateOrdersModule {}

/** Long enough for kafkajs' own connect retries (about 10 s) to be spent at least once. */
const KAFKAJS_RETRIES_SPENT_MS = 12_000;

/** Forwards a local port to the broker; nothing listens there until `open()`. */
function lateProxy(port: number, target: string) {
  const [host, targetPort] = target.split(':');
  let server: Server | undefined;
  return {
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const upstream = createConnection(Number(targetPort), host);
          client.pipe(upstream).pipe(client);
          client.on('error', () => upstream.destroy());
          upstream.on('error', () => client.destroy());
        });
        server.listen(port, '127.0.0.1', () => resolve());
      }),
    close: () =>
      new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

describe('start-up before the broker is reachable', () => {
  const [broker] = testKafkaBrokers();
  let proxy: ReturnType<typeof lateProxy> | undefined;

  afterEach(async () => {
    await proxy?.close();
  });

  it('waits for a broker that is not reachable yet, then creates the topics', async () => {
    const port = await freePort();
    proxy = lateProxy(port, broker);
    const topic = uniqueTopic('ensure-late-broker');

    let settled = false;
    const ensuring = ensureTopics([`127.0.0.1:${port}`], [{ topic, numPartitions: 2 }]).finally(
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, KAFKAJS_RETRIES_SPENT_MS));
    expect(settled).toBe(false);

    await proxy.open();
    await expect(ensuring).resolves.toEqual([topic]);

    const admin = new Kafka({
      clientId: 'ensure-spec',
      brokers: [broker],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics[0].partitions).toHaveLength(2);
    } finally {
      await admin.disconnect();
    }
  }, 120_000);

  it('lets services starting together create the same new topics, each returning once they have leaders', async () => {
    const topics = Array.from({ length: 3 }, (_, index) => ({
      topic: uniqueTopic(`ensure-race-${index}`),
      numPartitions: 3,
    }));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => ensureTopics([broker], topics)),
    );
    // None failed on the others' creations.
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const admin = new Kafka({
      clientId: 'ensure-race',
      brokers: [broker],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: topics.map((spec) => spec.topic) });
      expect(metadata.topics.map((topic) => topic.partitions.length)).toEqual([3, 3, 3]);
    } finally {
      await admin.disconnect();
    }
  });

  it('fails at once on what waiting cannot fix', async () => {
    await expect(
      ensureTopics([broker], [{ topic: uniqueTopic('ensure-bad'), numPartitions: 1 }], {
        replicationFactor: 1,
        minInsyncReplicas: 2,
      }),
    ).rejects.toThrow('min.insync.replicas (2) exceeds the replication factor (1)');
  });

  it('starts a reliable consumer once the broker answers, which then handles messages', async () => {
    await ensureTopics([broker], [{ topic: LATE_TOPIC, numPartitions: 1 }]);
    const port = await freePort();
    proxy = lateProxy(port, broker);
    const moduleRef = await Test.createTestingModule({ imports: [LateOrdersModule] }).compile();
    const { options } = kafkaTransportOptions({
      clientId: 'late-orders',
      brokers: [`127.0.0.1:${port}`],
      groupId: uniqueGroupId('late-orders'),
    });
    const app: INestMicroservice = moduleRef.createNestMicroservice({
      strategy: new ReliableKafkaServer(options ?? {}),
      logger: false,
    });
    let listening = false;
    const listen = app.listen().then(() => (listening = true));
    try {
      await new Promise((resolve) => setTimeout(resolve, KAFKAJS_RETRIES_SPENT_MS));
      expect(listening).toBe(false);

      await proxy.open();
      await listen;
      const producer = new Kafka({
        clientId: 'late-orders-producer',
        brokers: [broker],
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      try {
        await producer.send({ topic: LATE_TOPIC, messages: [{ value: '{"orderId":"late-1"}' }] });
      } finally {
        await producer.disconnect();
      }
      await waitFor(() => received.length > 0, { timeoutMs: 30_000, description: 'the order' });
      expect(received).toEqual([{ orderId: 'late-1' }]);
    } finally {
      await listen.catch(() => undefined);
      await app.close();
    }
  }, 120_000);
});
