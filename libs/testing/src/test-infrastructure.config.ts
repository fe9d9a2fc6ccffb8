/**
 * Which Postgres and Kafka the tests use, decided once per test run from the environment.
 *
 * - `DATABASE_URL` and `KAFKA_BROKERS` both set: use those servers, start nothing.
 * - neither set: start both in containers with Testcontainers (images from `POSTGRES_IMAGE` and
 *   `KAFKA_IMAGE`).
 * - only one set: a mistake worth stopping for, because half-external infrastructure makes
 *   failures hard to read.
 */
export const DEFAULT_POSTGRES_IMAGE = 'postgres:17';
export const DEFAULT_KAFKA_IMAGE = 'apache/kafka:4.1.1';

export type TestInfrastructurePlan =
  | { mode: 'external'; databaseUrl: string; kafkaBrokers: string[] }
  | { mode: 'containers'; postgresImage: string; kafkaImage: string };

export function planTestInfrastructure(env: NodeJS.ProcessEnv): TestInfrastructurePlan {
  const databaseUrl = env.DATABASE_URL?.trim();
  const kafkaBrokers = env.KAFKA_BROKERS?.trim();
  if (databaseUrl && kafkaBrokers) {
    return { mode: 'external', databaseUrl, kafkaBrokers: parseBrokerList(kafkaBrokers) };
  }
  if (databaseUrl || kafkaBrokers) {
    const missing = databaseUrl ? 'KAFKA_BROKERS' : 'DATABASE_URL';
    throw new Error(
      `${missing} is not set, but ${databaseUrl ? 'DATABASE_URL' : 'KAFKA_BROKERS'} is. ` +
        'Set both to test against servers you run yourself, or neither to let Testcontainers start them.',
    );
  }
  return {
    mode: 'containers',
    postgresImage: env.POSTGRES_IMAGE?.trim() || DEFAULT_POSTGRES_IMAGE,
    kafkaImage: env.KAFKA_IMAGE?.trim() || DEFAULT_KAFKA_IMAGE,
  };
}

export function parseBrokerList(value: string): string[] {
  const brokers = value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  for (const broker of brokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(broker)) {
      throw new Error(
        `KAFKA_BROKERS entry "${broker}" is not host:port (example: localhost:9092).`,
      );
    }
  }
  if (brokers.length === 0) {
    throw new Error('KAFKA_BROKERS is empty (example: localhost:9092).');
  }
  return brokers;
}
