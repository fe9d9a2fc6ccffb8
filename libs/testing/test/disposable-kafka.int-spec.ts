import { Kafka, logLevel } from 'kafkajs';
import { startDisposableKafka, type DisposableKafka } from '../src';

describe('startDisposableKafka', () => {
  let kafka: DisposableKafka;

  beforeAll(async () => {
    kafka = await startDisposableKafka();
  });

  afterAll(async () => {
    await kafka?.remove();
  });

  const listTopics = async () => {
    const admin = new Kafka({
      clientId: 'disposable-kafka-test',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1_000,
    }).admin();
    await admin.connect();
    try {
      return await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  };

  it('is refused while stopped and keeps its topics when started again', async () => {
    const admin = new Kafka({
      clientId: 't',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'kept.v1', numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();

    await kafka.stopBroker();
    await expect(listTopics()).rejects.toThrow();

    await kafka.startBroker();
    expect(await listTopics()).toContain('kept.v1');
  });
});
