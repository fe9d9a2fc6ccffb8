import { Logger } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { isBrokerUnreachable, isKafkaErrorOfType } from './kafka-errors';
import { type KafkaTlsOption } from './kafka-tls';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
}

/**
 * How many copies of each partition the cluster keeps, and how many must have a write before
 * an `acks: all` send succeeds. 1 and 1 suit the demo's single broker; production wants a
 * replication factor of at least 3 and min.insync.replicas 2, so one broker can fail without
 * losing an acknowledged message or stopping writes (KAFKA_REPLICATION_FACTOR,
 * KAFKA_MIN_INSYNC_REPLICAS).
 */
export interface TopicDurability {
  /** Default 1. */
  replicationFactor?: number;
  /** Default 1. */
  minInsyncReplicas?: number;
}

/** How long a service waits at start-up for its topics' partitions to have leaders. */
const LEADERS_TIMEOUT_MS = 60_000;

/**
 * A broker that is restarting refuses or drops connections ("Closed connection", ECONNREFUSED)
 * for a while after kafkajs' own few retries are spent; a service starting just then waits for
 * it, about two minutes in all, rather than exit and be restarted (seen in the chaos run). A
 * certificate that does not verify, or any other answer, fails at once.
 */
function whileBrokerUnreachable() {
  return retry(handleWhen(isBrokerUnreachable), {
    maxAttempts: 20,
    backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 8_000 }),
  });
}

/**
 * Creates the topics a service produces to or consumes from, with explicit partition counts,
 * before it starts, and returns once every partition of every topic has a leader. Topics that
 * already exist are left alone. Returns the names it created.
 */
export async function ensureTopics(
  brokers: string[],
  topics: TopicSpec[],
  { replicationFactor = 1, minInsyncReplicas = 1, tls }: TopicDurability & KafkaTlsOption = {},
): Promise<string[]> {
  const durability = { replicationFactor, minInsyncReplicas };
  if (minInsyncReplicas > replicationFactor) {
    // Every `acks: all` send to such a topic would fail with NOT_ENOUGH_REPLICAS.
    throw new Error(
      `min.insync.replicas (${minInsyncReplicas}) exceeds the replication factor ` +
        `(${replicationFactor})`,
    );
  }
  const logger = new Logger('ensureTopics');
  const policy = whileBrokerUnreachable();
  policy.onRetry(({ delay, ...reason }) =>
    logger.warn(
      `Kafka at ${brokers.join(',')} unreachable, trying again in ${Math.round(delay)} ms: ` +
        ('error' in reason ? String((reason.error as Error).message) : 'no answer'),
    ),
  );
  return policy.execute(() => createAndWait(brokers, topics, durability, tls));
}

async function createAndWait(
  brokers: string[],
  topics: TopicSpec[],
  durability: Required<TopicDurability>,
  tls: KafkaTlsOption['tls'],
): Promise<string[]> {
  // Errors are handled below; kafkajs' own logging would report a harmless race as an error.
  const admin = new Kafka({
    clientId: 'ensure-topics',
    brokers,
    ssl: tls,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) await createMissing(admin, missing, durability);
    // Also for topics that existed: another service may have created them a moment ago. A
    // consumer subscribing before its partitions have leaders gets "This server does not host
    // this topic-partition", and the service exits (seen on a loaded machine at start-up).
    await waitForLeaders(
      admin,
      topics.map((spec) => spec.topic),
    );
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

async function createMissing(
  admin: Admin,
  missing: TopicSpec[],
  durability: Required<TopicDurability>,
): Promise<void> {
  try {
    await admin.createTopics({
      // waitForLeaders below does the waiting, and takes the broker's "does not host this
      // topic-partition" for a topic it has only just created as "not yet"; kafkajs' own wait
      // gave up on it, and the service exited (seen on a loaded machine at start-up).
      waitForLeaders: false,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.numPartitions,
        replicationFactor: durability.replicationFactor,
        configEntries: [
          { name: 'min.insync.replicas', value: String(durability.minInsyncReplicas) },
        ],
      })),
    });
  } catch (error) {
    // Services starting together race to create shared topics: "already exists" is success.
    if (isKafkaErrorOfType(error, 'TOPIC_ALREADY_EXISTS')) return;
    const now = new Set(await admin.listTopics());
    if (missing.some((spec) => !now.has(spec.topic))) throw error;
  }
}

async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    let problem: string;
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.flatMap((topic) =>
        topic.partitions
          .filter((partition) => partition.leader < 0 || partition.partitionErrorCode !== 0)
          .map((partition) => `${topic.name}[${partition.partitionId}]`),
      );
      if (leaderless.length === 0) return;
      problem = `no leader yet for ${leaderless.join(', ')}`;
    } catch (error) {
      // Metadata not yet on the broker we asked: "does not host this topic-partition".
      problem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() + delayMs > deadline) {
      throw new Error(`topics not ready after ${LEADERS_TIMEOUT_MS} ms: ${problem}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/**
 * Creates each topic and its dead-letter topic (`<topic>.dlq`, same partition count, so a dead
 * letter keeps its key's partition), as every consuming service does at start-up.
 */
export async function ensureTopicsWithDeadLetters(
  brokers: string[],
  topics: TopicSpec[],
  options?: TopicDurability & KafkaTlsOption,
): Promise<string[]> {
  return ensureTopics(
    brokers,
    topics.flatMap((spec) => [spec, { ...spec, topic: `${spec.topic}.dlq` }]),
    options,
  );
}
