/**
 * ensureTopics at start-up while the broker is not reachable yet (restarting, or its container
 * still starting): it waits and creates the topics once the broker answers, instead of failing
 * and having the service exit.
 */
import { createConnection, createServer, type Server } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, testKafkaBrokers, uniqueTopic } from '@drone-delivery/testing';
import { ensureTopics } from '../src';

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

describe('ensureTopics', () => {
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
    // Long enough for kafkajs' own connect retries (about 10 s) to be spent at least once.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
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

  it('fails at once on what waiting cannot fix', async () => {
    await expect(
      ensureTopics([broker], [{ topic: uniqueTopic('ensure-bad'), numPartitions: 1 }], {
        replicationFactor: 1,
        minInsyncReplicas: 2,
      }),
    ).rejects.toThrow('min.insync.replicas (2) exceeds the replication factor (1)');
  });
});
