import { Counter, Gauge, Histogram } from 'prom-client';

/**
 * kafka_consumer_lag                    gauge {topic, partition, group}: messages behind the high watermark,
 *     updated after each batch (kafkajs consumer event END_BATCH_PROCESS payload.offsetLag).
 */
const kafkaConsumerLag = new Gauge({
  name: 'kafka_consumer_lag',
  help: 'Messages behind the high watermark of the partition, as of the last batch handled.',
  labelNames: ['topic', 'partition', 'group'] as const,
});

/**
 * kafka_consumer_handling_duration_seconds histogram {topic, outcome}: outcome = handled | dead_lettered; time per
 *     message including retries.
 */
const kafkaConsumerHandlingDuration = new Histogram({
  name: 'kafka_consumer_handling_duration_seconds',
  help: 'Time to handle one message, retries and backoff included, by how it ended.',
  labelNames: ['topic', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

/** kafka_consumer_retries_total          counter {topic} */
const kafkaConsumerRetries = new Counter({
  name: 'kafka_consumer_retries_total',
  help: 'Failed handling attempts that were retried.',
  labelNames: ['topic'] as const,
});

/** kafka_dead_letters_total              counter {topic}  (topic = the source topic, not the .dlq one) */
const kafkaDeadLetters = new Counter({
  name: 'kafka_dead_letters_total',
  help: 'Messages published to <topic>.dlq, by source topic.',
  labelNames: ['topic'] as const,
});

export type MessageOutcome = 'handled' | 'dead_lettered';

/** What a consumer reports; one per consumer group, since lag is per group. */
export interface ConsumerMetrics {
  /** From END_BATCH_PROCESS: `offsetLag` of the batch just handled. */
  recordLag(topic: string, partition: number, lag: number): void;
  /**
   * After a rebalance: drops the lag of partitions this consumer no longer owns, which would
   * otherwise stay frozen at their last value.
   */
  keepLagOnlyFor(assignment: Record<string, number[]>): void;
  /** On disconnect: this consumer reports no lag at all any more. */
  forgetLag(): void;
  observeMessage(topic: string, outcome: MessageOutcome, durationSeconds: number): void;
  countRetry(topic: string): void;
  countDeadLetter(topic: string): void;
}

export function consumerMetrics(group: string): ConsumerMetrics {
  /** `topic` → partitions with a lag series of this group. */
  const reported = new Map<string, Set<number>>();
  const removeLag = (topic: string, partition: number) => {
    kafkaConsumerLag.remove({ topic, partition: String(partition), group });
    reported.get(topic)?.delete(partition);
  };
  return {
    recordLag(topic, partition, lag) {
      kafkaConsumerLag.set({ topic, partition: String(partition), group }, lag);
      reported.set(topic, (reported.get(topic) ?? new Set()).add(partition));
    },
    keepLagOnlyFor(assignment) {
      for (const [topic, partitions] of reported) {
        for (const partition of [...partitions]) {
          if (!assignment[topic]?.includes(partition)) removeLag(topic, partition);
        }
      }
    },
    forgetLag() {
      for (const [topic, partitions] of reported) {
        for (const partition of [...partitions]) removeLag(topic, partition);
      }
    },
    observeMessage(topic, outcome, durationSeconds) {
      kafkaConsumerHandlingDuration.observe({ topic, outcome }, durationSeconds);
    },
    countRetry(topic) {
      kafkaConsumerRetries.inc({ topic });
    },
    countDeadLetter(topic) {
      kafkaDeadLetters.inc({ topic });
    },
  };
}
