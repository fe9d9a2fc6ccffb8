import { Kafka, logLevel } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** 1 for a single-broker development cluster; 3 in production. */
  replicationFactor?: number;
}

/**
 * Creates the topics a service produces to or consumes from, with explicit partition counts,
 * before it starts. Topics that already exist are left alone. Returns the names it created.
 */
export async function ensureTopics(brokers: string[], topics: TopicSpec[]): Promise<string[]> {
  // Errors are handled below; kafkajs' own logging would report a harmless race as an error.
  const admin = new Kafka({
    clientId: 'ensure-topics',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.numPartitions,
          replicationFactor: spec.replicationFactor ?? 1,
        })),
      });
    } catch (error) {
      // Services starting together race to create shared topics: "already exists" is success.
      const now = new Set(await admin.listTopics());
      if (missing.some((spec) => !now.has(spec.topic))) throw error;
    }
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates each topic and its dead-letter topic (`<topic>.dlq`, same partition count, so a dead
 * letter keeps its key's partition), as every consuming service does at start-up.
 */
export async function ensureTopicsWithDeadLetters(
  brokers: string[],
  topics: TopicSpec[],
): Promise<string[]> {
  return ensureTopics(
    brokers,
    topics.flatMap((spec) => [spec, { ...spec, topic: `${spec.topic}.dlq` }]),
  );
}
