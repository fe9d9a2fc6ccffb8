/**
 * The redrive against a real Kafka, in the cases where it used to lose or hang: dead letters that
 * arrive while it runs wait for the next run, and a partition emptied by retention counts as done.
 * (The plain case, with a consumer that failed and then works, is in reliable-consumer.int-spec.)
 */
import { Kafka, logLevel } from 'kafkajs';
import {
  DLQ_HEADERS,
  deadLetterTopic,
  ensureTopicsWithDeadLetters,
  redriveDeadLetters,
} from '../src';
import { testKafkaBrokers, uniqueGroupId, uniqueTopic, waitFor } from '@drone-delivery/testing';

describe('redriveDeadLetters', () => {
  const brokers = testKafkaBrokers();
  const kafka = new Kafka({ clientId: 'redrive-spec', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const admin = kafka.admin();

  beforeAll(async () => {
    await Promise.all([producer.connect(), admin.connect()]);
  });

  afterAll(async () => {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  });

  /** Dead letters as a consumer writes them: on `<topic>.dlq`, naming their source topic. */
  const deadLetter = (topic: string, ids: string[], partition = 0) =>
    producer.send({
      topic: deadLetterTopic(topic),
      messages: ids.map((id) => ({
        key: id,
        value: id,
        partition,
        headers: { [DLQ_HEADERS.sourceTopic]: topic, [DLQ_HEADERS.attempts]: '5' },
      })),
    });

  /** Every value on `topic` (from its start) once `expected` of them arrived. */
  async function valuesOn(topic: string, expected: number): Promise<string[]> {
    const consumer = kafka.consumer({ groupId: uniqueGroupId('redrive-spec-reader') });
    const values: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        values.push(message.value!.toString());
        return Promise.resolve();
      },
    });
    try {
      await waitFor(() => values.length >= expected, {
        timeoutMs: 30_000,
        description: `${expected} messages on ${topic}`,
      });
      return values;
    } finally {
      await consumer.disconnect();
    }
  }

  it('leaves dead letters that arrive during a run for the next run', async () => {
    const topic = uniqueTopic('redrive-during');
    await ensureTopicsWithDeadLetters(brokers, [{ topic, numPartitions: 2 }]);
    await deadLetter(topic, ['early-0'], 0);
    await deadLetter(topic, ['early-1'], 1);
    const groupId = uniqueGroupId('redrive-during');

    // Written once the run has taken the end of the DLQ, before its consumer has joined: its
    // first fetch sees them beyond the end, on both partitions, so whichever partition it reads
    // first, the other is not done yet when it comes to them.
    let late: Promise<unknown> | undefined;
    const first = await redriveDeadLetters({
      brokers,
      topic,
      groupId,
      onProgress: () => {
        late ??= Promise.all([
          deadLetter(topic, ['late-0a', 'late-0b'], 0),
          deadLetter(topic, ['late-1a', 'late-1b'], 1),
        ]);
      },
    });
    await late;
    expect(first).toEqual({ redriven: 2 });

    expect(await redriveDeadLetters({ brokers, topic, groupId })).toEqual({ redriven: 4 });
    const redriven = await valuesOn(topic, 6);
    expect([...new Set(redriven)].sort()).toEqual([
      'early-0',
      'early-1',
      'late-0a',
      'late-0b',
      'late-1a',
      'late-1b',
    ]);
    expect(await redriveDeadLetters({ brokers, topic, groupId })).toEqual({ redriven: 0 });
  });

  it('finishes when retention emptied a partition', async () => {
    const topic = uniqueTopic('redrive-retention');
    await ensureTopicsWithDeadLetters(brokers, [{ topic, numPartitions: 2 }]);
    await deadLetter(topic, ['gone-1', 'gone-2', 'gone-3'], 0);
    await deadLetter(topic, ['kept-1', 'kept-2'], 1);
    // What retention does: the low watermark moves up to the high one. (kafkajs' admin finds
    // the partition leaders only in metadata it has fetched.)
    await admin.fetchTopicMetadata({ topics: [deadLetterTopic(topic)] });
    await admin.deleteTopicRecords({
      topic: deadLetterTopic(topic),
      partitions: [{ partition: 0, offset: '3' }],
    });
    const [emptied] = (await admin.fetchTopicOffsets(deadLetterTopic(topic))).filter(
      (p) => p.partition === 0,
    );
    expect(emptied).toMatchObject({ low: '3', high: '3' });

    const groupId = uniqueGroupId('redrive-retention');
    expect(await redriveDeadLetters({ brokers, topic, groupId })).toEqual({ redriven: 2 });
    expect((await valuesOn(topic, 2)).sort()).toEqual(['kept-1', 'kept-2']);
    expect(await redriveDeadLetters({ brokers, topic, groupId })).toEqual({ redriven: 0 });
  });
});
