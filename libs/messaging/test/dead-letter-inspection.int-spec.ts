/**
 * What an operator sees before a redrive, against a real Kafka: counts from the offsets, and the
 * letters a redrive would send, oldest first across partitions, read without touching the
 * redrive's group and without leaving a group behind.
 */
import { Kafka, logLevel } from 'kafkajs';
import {
  deadLetterBacklogs,
  deadLetterTopic,
  DLQ_HEADERS,
  ensureTopicsWithDeadLetters,
  readDeadLetters,
  redriveDeadLetters,
} from '../src';
import { testKafkaBrokers, uniqueTopic } from '@drone-delivery/testing';

describe('dead-letter inspection', () => {
  const brokers = testKafkaBrokers();
  const kafka = new Kafka({ clientId: 'inspection-spec', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const admin = kafka.admin();

  beforeAll(() => Promise.all([producer.connect(), admin.connect()]));
  afterAll(() => Promise.allSettled([producer.disconnect(), admin.disconnect()]));

  /** A dead letter as ReliableKafkaServer writes it, dead-lettered `second` seconds into 2030. */
  const deadLetter = (topic: string, id: string, partition: number, second: number, value = id) =>
    producer.send({
      topic: deadLetterTopic(topic),
      messages: [
        {
          key: id,
          value,
          partition,
          headers: {
            [DLQ_HEADERS.sourceTopic]: topic,
            [DLQ_HEADERS.sourcePartition]: String(partition),
            [DLQ_HEADERS.sourceOffset]: String(second),
            [DLQ_HEADERS.consumerGroup]: 'orders',
            [DLQ_HEADERS.attempts]: '3',
            [DLQ_HEADERS.errorType]: 'Error',
            [DLQ_HEADERS.errorMessage]: `${id} failed`,
            [DLQ_HEADERS.deadLetteredAt]: `2030-01-01T00:00:${String(second).padStart(2, '0')}Z`,
          },
        },
      ],
    });

  it('counts, lists the oldest first, and shows nothing left once redriven', async () => {
    const topic = uniqueTopic('inspection');
    const missing = uniqueTopic('inspection-never-created');
    await ensureTopicsWithDeadLetters(brokers, [{ topic, numPartitions: 2 }]);
    await deadLetter(topic, 'a', 0, 1);
    await deadLetter(topic, 'c', 0, 3);
    await deadLetter(topic, 'e', 0, 5, 'é'.repeat(10));
    await deadLetter(topic, 'b', 1, 2);
    await deadLetter(topic, 'd', 1, 4);

    expect(await deadLetterBacklogs({ brokers, sourceTopics: [topic, missing] })).toEqual([
      { topic: deadLetterTopic(topic), sourceTopic: topic, messages: 5, awaitingRedrive: 5 },
      { topic: deadLetterTopic(missing), sourceTopic: missing, messages: 0, awaitingRedrive: 0 },
    ]);
    expect(await admin.listTopics()).not.toContain(deadLetterTopic(missing));

    const firstThree = await readDeadLetters({ brokers, sourceTopic: topic, limit: 3 });
    expect(firstThree.map((letter) => letter.key)).toEqual(['a', 'b', 'c']);
    expect(firstThree[1]).toEqual({
      partition: 1,
      offset: '0',
      key: 'b',
      sourceTopic: topic,
      sourcePartition: 1,
      sourceOffset: '2',
      consumerGroup: 'orders',
      attempts: 3,
      errorType: 'Error',
      reason: 'b failed',
      deadLetteredAt: '2030-01-01T00:00:02Z',
      value: 'b',
      valueBytes: 1,
    });

    const all = await readDeadLetters({ brokers, sourceTopic: topic, limit: 50, valueBytes: 4 });
    expect(all.map((letter) => letter.key)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // Cut at 4 bytes: two of the ten two-byte letters.
    expect(all[4]).toMatchObject({ value: 'éé', valueBytes: 20 });

    // Reading moved nothing: the redrive still sends all five, then nothing is left.
    expect(await redriveDeadLetters({ brokers, topic })).toEqual({ redriven: 5 });
    expect(await deadLetterBacklogs({ brokers, sourceTopics: [topic] })).toEqual([
      { topic: deadLetterTopic(topic), sourceTopic: topic, messages: 5, awaitingRedrive: 0 },
    ]);
    expect(await readDeadLetters({ brokers, sourceTopic: topic, limit: 50 })).toEqual([]);

    const { groups } = await admin.listGroups();
    expect(
      groups.filter((group) => group.groupId.startsWith(`${deadLetterTopic(topic)}-inspect-`)),
    ).toEqual([]);
  });
});
