/**
 * TLS to Kafka as the services set it up (KAFKA_SSL, KAFKA_CA_FILE, KAFKA_CERT_FILE and
 * KAFKA_KEY_FILE through kafkaTls), against a broker of this file's own whose listeners on the
 * host are TLS only: one checks the server's certificate, one also asks for the client's.
 */
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import {
  createTestCertificates,
  startTlsKafka,
  type StartedTlsKafka,
  type TestCertificates,
  uniqueGroupId,
  uniqueTopic,
  waitFor,
} from '@drone-delivery/testing';
import { createIdempotentProducer, ensureTopics, kafkaTls, kafkaTransportOptions } from '../src';

describe('TLS to Kafka', () => {
  let certificates: TestCertificates;
  let broker: StartedTlsKafka;

  beforeAll(async () => {
    certificates = await createTestCertificates();
    broker = await startTlsKafka(certificates);
  }, 180_000);

  afterAll(async () => {
    await broker?.container.stop();
    await certificates?.remove();
  });

  /** The settings a service reads, pinned to the test CA. */
  const pinned = () => ({ KAFKA_SSL: true, KAFKA_CA_FILE: certificates.ca.file });

  /** The broker has just started: the first metadata requests may find it still loading. */
  const ensureTopic = (topic: string, brokers: string[], tls = kafkaTls(pinned())) =>
    waitFor(() => ensureTopics(brokers, [{ topic, numPartitions: 1 }], { tls }).then(() => true), {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: `topic ${topic} created over TLS`,
    });

  it('sends and consumes over TLS with the CA pinned, through every client builder', async () => {
    const topic = uniqueTopic('tls.round.trip');
    await ensureTopic(topic, broker.tlsBrokers);
    const producer = createIdempotentProducer({
      clientId: 'tls-spec',
      brokers: broker.tlsBrokers,
      tls: kafkaTls(pinned()),
    });
    // The consumer side as services configure it: Nest's transport options.
    const transport = kafkaTransportOptions({
      clientId: 'tls-spec',
      brokers: broker.tlsBrokers,
      tls: kafkaTls(pinned()),
    }).options;
    const consumer = new Kafka({
      ...(transport?.client as KafkaConfig),
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: uniqueGroupId('tls-spec') });
    const received: string[] = [];
    try {
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'over TLS' }] });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          received.push(String(message.value));
          return Promise.resolve();
        },
      });
      await waitFor(() => received.length > 0, {
        timeoutMs: 30_000,
        description: 'the message consumed over TLS',
      });
      expect(received).toEqual(['over TLS']);
    } finally {
      await Promise.allSettled([producer.disconnect(), consumer.disconnect()]);
    }
  });

  it('refuses a broker whose certificate another CA signed', async () => {
    const producer = createIdempotentProducer({
      clientId: 'tls-spec-wrong-ca',
      brokers: broker.tlsBrokers,
      tls: kafkaTls({ KAFKA_SSL: true, KAFKA_CA_FILE: certificates.otherCa.file }),
    });
    await expect(producer.connect()).rejects.toThrow(/unable to verify the first certificate/);
  });

  it('gets nowhere in plain text on the TLS-only listener', async () => {
    const plain = new Kafka({
      clientId: 'tls-spec-plain',
      brokers: broker.tlsBrokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 5_000,
      retry: { retries: 1 },
    }).admin();
    await expect(plain.connect().then(() => plain.listTopics())).rejects.toThrow(
      /Closed connection|Connection error/,
    );
    await plain.disconnect();
  });

  it('presents the client certificate (KAFKA_CERT_FILE, KAFKA_KEY_FILE) where one is required', async () => {
    const mutual = kafkaTls({
      ...pinned(),
      KAFKA_CERT_FILE: certificates.cert.file,
      KAFKA_KEY_FILE: certificates.key.file,
    });
    const topic = uniqueTopic('tls.mutual');
    await ensureTopic(topic, broker.mutualTlsBrokers, mutual);
    const producer = createIdempotentProducer({
      clientId: 'tls-spec-mutual',
      brokers: broker.mutualTlsBrokers,
      tls: mutual,
    });
    await producer.connect();
    const [sent] = await producer.send({ topic, acks: -1, messages: [{ value: 'mutual' }] });
    await producer.disconnect();
    expect(sent.errorCode).toBe(0);

    const withoutCertificate = createIdempotentProducer({
      clientId: 'tls-spec-no-client-cert',
      brokers: broker.mutualTlsBrokers,
      tls: kafkaTls(pinned()),
    });
    await expect(
      withoutCertificate
        .connect()
        .then(() => withoutCertificate.send({ topic, acks: -1, messages: [{ value: 'x' }] })),
    ).rejects.toThrow(/certificate required/);
    await withoutCertificate.disconnect();
  });
});
