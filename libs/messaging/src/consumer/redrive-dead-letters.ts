import { Kafka, logLevel } from 'kafkajs';
import { createIdempotentProducer } from '../kafka-producer';
import { DLQ_HEADERS, deadLetterTopic } from './dead-letter';

export interface RedriveOptions {
  brokers: string[];
  /** The source topic, e.g. `delivery.events.v1`; its dead letters are in `<topic>.dlq`. */
  topic: string;
  /**
   * The redrive's own consumer group: what it has redriven is committed there, so running it
   * again sends only dead letters that arrived since.
   */
  groupId?: string;
  /** Count and list, send nothing, commit nothing. */
  dryRun?: boolean;
  onProgress?: (message: string) => void;
}

export interface RedriveResult {
  redriven: number;
}

/**
 * Sends dead letters back to the topic they came from, once the cause is fixed: same key (so
 * the same partition and order among its key), same value, the original headers without the
 * dlq-* ones, plus `dlq-redriven-from-offset`. Reads `<topic>.dlq` up to its end as of the start
 * and stops there, committing as it goes.
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const source = deadLetterTopic(options.topic);
  const say = options.onProgress ?? (() => undefined);
  const kafka = new Kafka({
    clientId: 'dlq-redrive',
    brokers: options.brokers,
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = options.groupId ?? `${source}-redrive`;
  const ends = new Map(
    (await admin.fetchTopicOffsets(source)).map((p) => [p.partition, Number(p.high)]),
  );
  // Where this group stopped last time: a partition it has read to the end is done already.
  const [committed] = await admin.fetchOffsets({ groupId, topics: [source] });
  const from = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
  await admin.disconnect();
  const total = [...ends.values()].reduce((sum, high) => sum + high, 0);
  say(`${source}: ${total} dead letters in all partitions; redriving what this group has not`);

  const producer = createIdempotentProducer({ clientId: 'dlq-redrive', brokers: options.brokers });
  const consumer = kafka.consumer({ groupId });
  await Promise.all([producer.connect(), consumer.connect()]);
  let redriven = 0;
  const done = new Set<number>(
    [...ends]
      .filter(([partition, high]) => (from.get(partition) ?? -1) >= high || high === 0)
      .map(([p]) => p),
  );
  try {
    await consumer.subscribe({ topic: source, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      if (done.size === ends.size) return resolve();
      consumer
        .run({
          autoCommit: !options.dryRun,
          eachMessage: async ({ partition, message }) => {
            const high = ends.get(partition) ?? 0;
            if (Number(message.offset) < high) {
              const headers = Object.fromEntries(
                Object.entries(message.headers ?? {}).filter(
                  ([name]) => !Object.values<string>(DLQ_HEADERS).includes(name),
                ),
              );
              if (!options.dryRun) {
                await producer.send({
                  topic: String(message.headers?.[DLQ_HEADERS.sourceTopic] ?? options.topic),
                  acks: -1,
                  messages: [
                    {
                      key: message.key,
                      value: message.value,
                      headers: { ...headers, 'dlq-redriven-from-offset': message.offset },
                    },
                  ],
                });
              }
              redriven++;
              if (redriven % 100 === 0) say(`${redriven} redriven`);
            }
            if (Number(message.offset) >= high - 1) {
              done.add(partition);
              if (done.size === ends.size) resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  }
  say(`${options.dryRun ? 'would redrive' : 'redrove'} ${redriven} message(s) to ${options.topic}`);
  return { redriven };
}
