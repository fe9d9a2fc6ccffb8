import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { createIdempotentProducer } from '../kafka-producer';
import { type KafkaTlsOption } from '../kafka-tls';
import { DLQ_HEADERS, deadLetterTopic } from './dead-letter';

export interface RedriveOptions extends KafkaTlsOption {
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
  /**
   * Gives up after this long (what was sent stays committed; the next run sends the rest), so a
   * run that cannot finish, such as one sharing its group with another run, cannot hang its
   * caller. Default: no limit.
   */
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

export interface RedriveResult {
  redriven: number;
}

/**
 * Sends dead letters back to the topic they came from, once the cause is fixed: same key (so
 * the same partition and order among its key), same value, the original headers without the
 * dlq-* ones, plus `dlq-redriven-from-offset`. Reads `<topic>.dlq` up to its end as of the start
 * and stops there.
 *
 * Offsets are committed by hand, each only once its message was sent and acknowledged: a dead
 * letter that arrives during the run lies beyond the end and stays uncommitted, so the next run
 * sends it. (kafkajs' autocommit would commit it unsent.)
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const source = deadLetterTopic(options.topic);
  const say = options.onProgress ?? (() => undefined);
  const kafka = new Kafka({
    clientId: 'dlq-redrive',
    brokers: options.brokers,
    ssl: options.tls,
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();
  const groupId = options.groupId ?? redriveGroupId(options.topic);
  await admin.connect();
  const positions = await redrivePositions(admin, options.topic, groupId).finally(() =>
    admin.disconnect(),
  );
  const ends = new Map(positions.map((p) => [p.partition, p.high]));
  const remaining = new Set(positions.filter((p) => p.next < p.high).map((p) => p.partition));
  const total = positions.reduce((sum, p) => sum + p.high - p.low, 0);
  say(`${source}: ${total} dead letters in all partitions; redriving what this group has not`);
  if (remaining.size === 0) return finish(0);

  const producer = createIdempotentProducer({
    clientId: 'dlq-redrive',
    brokers: options.brokers,
    tls: options.tls,
  });
  const consumer = kafka.consumer({ groupId });
  await Promise.all([producer.connect(), consumer.connect()]);
  let redriven = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topic: source, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(
          () => reject(new Error(`${source}: redrive not finished within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      }
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      const finished = (partition: number) => {
        remaining.delete(partition);
        if (remaining.size === 0) resolve();
      };
      consumer
        .run({
          autoCommit: false,
          eachMessage: async (payload) => {
            const { partition, message } = payload;
            const offset = Number(message.offset);
            const end = ends.get(partition) ?? 0;
            if (offset >= end) {
              // Arrived after the start: left uncommitted for the next run.
              payload.pause();
              return finished(partition);
            }
            if (!options.dryRun) {
              await producer.send({
                topic: String(message.headers?.[DLQ_HEADERS.sourceTopic] ?? options.topic),
                acks: -1,
                messages: [
                  {
                    key: message.key,
                    value: message.value,
                    headers: {
                      ...withoutDeadLetterHeaders(message.headers),
                      'dlq-redriven-from-offset': message.offset,
                    },
                  },
                ],
              });
              await consumer.commitOffsets([
                { topic: source, partition, offset: String(offset + 1) },
              ]);
            }
            redriven++;
            if (redriven % 100 === 0) say(`${redriven} redriven`);
            if (offset >= end - 1) finished(partition);
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  }
  return finish(redriven);

  function finish(count: number): RedriveResult {
    say(`${options.dryRun ? 'would redrive' : 'redrove'} ${count} message(s) to ${options.topic}`);
    return { redriven: count };
  }
}

/** The redrive's consumer group by default, shared by every tool that redrives `topic`. */
export function redriveGroupId(topic: string): string {
  return `${deadLetterTopic(topic)}-redrive`;
}

/** Where a dead-letter partition stands for a redrive group. */
export interface RedrivePosition {
  partition: number;
  /** The oldest offset still kept (retention deletes below it). */
  low: number;
  /** The offset the next dead letter will get. */
  high: number;
  /** The first offset the group has not redriven: [next, high) is left to do. */
  next: number;
}

/**
 * Each partition of `<topic>.dlq` for `groupId`. The next offset is the committed one, or the
 * low watermark when retention deleted the messages up to there: a partition emptied by
 * retention has nothing left, whatever this group committed (-1: it never ran).
 */
export async function redrivePositions(
  admin: Admin,
  topic: string,
  groupId: string,
): Promise<RedrivePosition[]> {
  const source = deadLetterTopic(topic);
  const [offsets, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(source),
    retryWhileRetriable.execute(() => admin.fetchOffsets({ groupId, topics: [source] })),
  ]);
  const committedAt = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
  return offsets.map((p) => ({
    partition: p.partition,
    low: Number(p.low),
    high: Number(p.high),
    next: Math.max(committedAt.get(p.partition) ?? -1, Number(p.low)),
  }));
}

/**
 * A cluster that just started answers "the coordinator is loading" for a while, and kafkajs'
 * admin passes that on at once.
 */
const retryWhileRetriable = retry(
  handleWhen((error) => (error as { retriable?: boolean }).retriable === true),
  { maxAttempts: 10, backoff: new ExponentialBackoff({ initialDelay: 300, maxDelay: 5_000 }) },
);

function withoutDeadLetterHeaders<T>(headers: Record<string, T> | undefined): Record<string, T> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).filter(
      ([name]) => !Object.values<string>(DLQ_HEADERS).includes(name),
    ),
  );
}
