import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { type KafkaTlsOption } from '../kafka-tls';
import { DLQ_HEADERS, deadLetterTopic } from './dead-letter';
import { redriveGroupId, redrivePositions } from './redrive-dead-letters';

// What an operator looks at before a redrive: how many dead letters each topic holds, and the
// ones the next redrive would send. Read-only: nothing here commits an offset of the redrive's
// group or writes a message.

export interface DeadLetterInspectionOptions extends KafkaTlsOption {
  brokers: string[];
  /** The redrive group whose progress says what is left; default: redriveDeadLetters' own. */
  redriveGroupId?: (topic: string) => string;
}

export interface DeadLetterBacklog {
  /** `<sourceTopic>.dlq` */
  topic: string;
  sourceTopic: string;
  /** Dead letters the topic still keeps (retention deletes the oldest). */
  messages: number;
  /** Of those, the ones the redrive has not sent back yet. */
  awaitingRedrive: number;
}

/** Counts from the partitions' offsets (no message is read); a DLQ not created yet holds 0. */
export async function deadLetterBacklogs(
  options: DeadLetterInspectionOptions & { sourceTopics: string[] },
): Promise<DeadLetterBacklog[]> {
  const admin = inspectionClient(options).admin();
  const groupOf = options.redriveGroupId ?? redriveGroupId;
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    return await Promise.all(
      options.sourceTopics.map(async (sourceTopic) => {
        const topic = deadLetterTopic(sourceTopic);
        if (!existing.has(topic)) return { topic, sourceTopic, messages: 0, awaitingRedrive: 0 };
        const positions = await redrivePositions(admin, sourceTopic, groupOf(sourceTopic));
        return {
          topic,
          sourceTopic,
          messages: positions.reduce((sum, p) => sum + p.high - p.low, 0),
          awaitingRedrive: positions.reduce((sum, p) => sum + p.high - p.next, 0),
        };
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

/** One dead letter with what its headers say (null where a header is missing). */
export interface DeadLetterRecord {
  partition: number;
  offset: string;
  key: string | null;
  sourceTopic: string;
  sourcePartition: number | null;
  sourceOffset: string | null;
  consumerGroup: string | null;
  attempts: number | null;
  errorType: string | null;
  reason: string;
  deadLetteredAt: string | null;
  /** The value's first `valueBytes` bytes, as UTF-8. */
  value: string;
  /** The value's whole size in the DLQ; more than `value` holds when cut. */
  valueBytes: number;
}

export interface ReadDeadLettersOptions extends DeadLetterInspectionOptions {
  sourceTopic: string;
  /** Dead letters wanted at most. */
  limit: number;
  /** Bytes of each value returned. Default 2,048. */
  valueBytes?: number;
  /** Time allowed to join and read; past it the read fails. Default 15 s. */
  timeoutMs?: number;
}

/**
 * The oldest dead letters of `<sourceTopic>.dlq` that the redrive has not sent back, up to
 * `limit`, oldest first. Read by a consumer group of its own whose offsets are set to the
 * redrive's position before it joins (kafkajs cannot assign partitions by hand), and deleted
 * after: the redrive's group is never touched.
 */
export async function readDeadLetters(
  options: ReadDeadLettersOptions,
): Promise<DeadLetterRecord[]> {
  const topic = deadLetterTopic(options.sourceTopic);
  const kafka = inspectionClient(options);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groupOf = options.redriveGroupId ?? redriveGroupId;
    const targets = (
      await redrivePositions(admin, options.sourceTopic, groupOf(options.sourceTopic))
    )
      .filter((p) => p.next < p.high)
      .map((p) => ({
        partition: p.partition,
        from: p.next,
        to: Math.min(p.high, p.next + options.limit),
      }));
    if (targets.length === 0) return [];
    const groupId = `${topic}-inspect-${randomUUID()}`;
    await admin.setOffsets({
      groupId,
      topic,
      partitions: targets.map((t) => ({ partition: t.partition, offset: String(t.from) })),
    });
    try {
      const messages = await readRanges(
        kafka,
        topic,
        groupId,
        targets,
        options.timeoutMs ?? 15_000,
      );
      return messages
        .map(({ partition, message }) =>
          toRecord(options.sourceTopic, partition, message, options.valueBytes ?? 2_048),
        )
        .sort(
          (a, b) =>
            (a.deadLetteredAt ?? '').localeCompare(b.deadLetteredAt ?? '') ||
            a.partition - b.partition ||
            Number(a.offset) - Number(b.offset),
        )
        .slice(0, options.limit);
    } finally {
      await deleteGroup(admin, groupId);
    }
  } finally {
    await admin.disconnect();
  }
}

interface Range {
  partition: number;
  from: number;
  /** Exclusive. */
  to: number;
}

async function readRanges(
  kafka: Kafka,
  topic: string,
  groupId: string,
  ranges: Range[],
  timeoutMs: number,
): Promise<{ partition: number; message: KafkaMessage }[]> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const read: { partition: number; message: KafkaMessage }[] = [];
  const endOf = new Map(ranges.map((r) => [r.partition, r.to]));
  const open = new Set(ranges.map((r) => r.partition));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${topic}: dead letters not read within ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      consumer
        .run({
          autoCommit: false,
          eachMessage: (payload) => {
            const { partition, message } = payload;
            const end = endOf.get(partition);
            // A partition with nothing to read starts at its end; what arrives there is not asked for.
            if (end === undefined || Number(message.offset) >= end) {
              payload.pause();
              return Promise.resolve();
            }
            read.push({ partition, message });
            if (Number(message.offset) >= end - 1) {
              payload.pause();
              open.delete(partition);
              if (open.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return read;
}

function toRecord(
  sourceTopic: string,
  partition: number,
  message: KafkaMessage,
  valueBytes: number,
): DeadLetterRecord {
  const header = (name: string) => {
    const value = message.headers?.[name];
    if (value === undefined) return null;
    return (Array.isArray(value) ? value[0] : value)?.toString() ?? null;
  };
  const number = (name: string) => {
    const text = header(name);
    return text === null || !Number.isFinite(Number(text)) ? null : Number(text);
  };
  const value = message.value ?? Buffer.alloc(0);
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    sourceTopic: header(DLQ_HEADERS.sourceTopic) ?? sourceTopic,
    sourcePartition: number(DLQ_HEADERS.sourcePartition),
    sourceOffset: header(DLQ_HEADERS.sourceOffset),
    consumerGroup: header(DLQ_HEADERS.consumerGroup),
    attempts: number(DLQ_HEADERS.attempts),
    errorType: header(DLQ_HEADERS.errorType),
    reason: header(DLQ_HEADERS.errorMessage) ?? 'no reason recorded',
    deadLetteredAt: header(DLQ_HEADERS.deadLetteredAt),
    value: value.subarray(0, valueBytes).toString('utf8'),
    valueBytes: value.length,
  };
}

function inspectionClient(options: KafkaTlsOption & { brokers: string[] }): Kafka {
  return new Kafka({
    clientId: 'dlq-inspection',
    brokers: options.brokers,
    ssl: options.tls,
    logLevel: logLevel.WARN,
  });
}

/** A reader's group is of no use once read; left behind, the broker would expire it later. */
async function deleteGroup(admin: Admin, groupId: string): Promise<void> {
  try {
    await admin.deleteGroups([groupId]);
  } catch {
    // Not fatal: an empty group without members expires on its own.
  }
}
