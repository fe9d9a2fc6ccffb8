import { Kafka, logLevel } from 'kafkajs';
import { parseBrokerList } from './test-infrastructure.config';
import { uniqueName } from './unique-name';
import { waitFor } from './wait-for';

/** Brokers of the test run's Kafka, as set by the global setup. */
export function testKafkaBrokers(): string[] {
  const value = process.env.KAFKA_BROKERS;
  if (!value) {
    throw new Error(
      'KAFKA_BROKERS is not set: run the tests through Jest with the workspace preset, whose ' +
        'global setup provides it (see libs/testing/README.md).',
    );
  }
  return parseBrokerList(value);
}

/** A topic name used by one test only. Dots are legal in topics and mirror our `x.y.v1` names. */
export function uniqueTopic(prefix: string): string {
  return uniqueName(prefix).replace(/_/g, '.');
}

export function uniqueGroupId(prefix: string): string {
  return uniqueName(prefix).replace(/_/g, '-');
}

/**
 * Waits until the broker answers metadata requests. A broker that logged "started" may still
 * refuse clients for a moment, and an external one may not be up yet.
 */
export async function waitForKafka(brokers: string[], timeoutMs: number): Promise<void> {
  const admin = new Kafka({
    clientId: 'test-infra',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await waitFor(
      async () => {
        await admin.connect();
        await admin.listTopics();
        return true;
      },
      { timeoutMs, intervalMs: 250, description: `Kafka at ${brokers.join(',')}` },
    );
  } finally {
    await admin.disconnect();
  }
}
