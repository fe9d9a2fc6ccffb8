import { planTestInfrastructure } from './test-infrastructure.config';
import {
  type StartedKafka,
  type StartedPostgres,
  assertContainerRuntimeAvailable,
  startKafka,
  startPostgres,
} from './test-containers';
import { waitForKafka } from './kafka';
import { waitForPostgres } from './postgres';

/** Containers started by this run, so global teardown stops exactly what setup started. */
export interface StartedTestInfrastructure {
  postgres: StartedPostgres;
  kafka: StartedKafka;
}

const STATE_KEY = Symbol.for('drone-delivery.test-infrastructure');
type GlobalWithState = typeof globalThis & { [STATE_KEY]?: StartedTestInfrastructure };

function log(message: string): void {
  process.stderr.write(`[test-infra] ${message}\n`);
}

/**
 * Jest global setup shared by every project. In a multi-project run Jest calls it once per
 * project, in one process: the first call starts the servers and exports their addresses, the
 * later ones find `DRONE_TEST_INFRA` set and reuse them.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DRONE_TEST_INFRA) return;
  const plan = planTestInfrastructure(process.env);

  if (plan.mode === 'external') {
    log(`using DATABASE_URL and KAFKA_BROKERS=${plan.kafkaBrokers.join(',')} (no containers)`);
    await Promise.all([
      waitForPostgres(plan.databaseUrl, 30_000),
      waitForKafka(plan.kafkaBrokers, 30_000),
    ]);
    process.env.DRONE_TEST_INFRA = 'external';
    return;
  }

  await assertContainerRuntimeAvailable();
  const started = Date.now();
  log(
    `starting Postgres (${plan.postgresImage}) and Kafka (${plan.kafkaImage}) with Testcontainers`,
  );
  const [postgresResult, kafkaResult] = await Promise.allSettled([
    startPostgres(plan.postgresImage).then((result) => {
      log(`Postgres ready at ${new URL(result.adminUrl).host} after ${elapsed(started)}`);
      return result;
    }),
    startKafka(plan.kafkaImage).then((result) => {
      log(`Kafka ready at ${result.brokers.join(',')} after ${elapsed(started)}`);
      return result;
    }),
  ]);
  if (postgresResult.status === 'rejected' || kafkaResult.status === 'rejected') {
    // Without Ryuk nothing else would remove a container that did start.
    const startedContainers = [postgresResult, kafkaResult].flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.container] : [],
    );
    await Promise.allSettled(startedContainers.map((container) => container.stop()));
    const reasons = [postgresResult, kafkaResult]
      .filter((result) => result.status === 'rejected')
      .map((result) => String(result.reason));
    throw new Error(
      `Could not start the test containers:\n${reasons.join('\n')}\n` +
        'Where no container registry is reachable, build the stand-in images with ' +
        '`npm run images:standin` and export the POSTGRES_IMAGE and KAFKA_IMAGE it prints.',
    );
  }
  const postgres = postgresResult.value;
  const kafka = kafkaResult.value;
  (globalThis as GlobalWithState)[STATE_KEY] = { postgres, kafka };
  await Promise.all([
    waitForPostgres(postgres.adminUrl, 30_000),
    waitForKafka(kafka.brokers, 30_000),
  ]);
  process.env.DATABASE_URL = postgres.adminUrl;
  process.env.KAFKA_BROKERS = kafka.brokers.join(',');
  process.env.DRONE_TEST_INFRA = 'testcontainers';
}

export async function stopStartedInfrastructure(): Promise<void> {
  const state = (globalThis as GlobalWithState)[STATE_KEY];
  if (!state) return;
  delete (globalThis as GlobalWithState)[STATE_KEY];
  await Promise.all([state.postgres.container.stop(), state.kafka.container.stop()]);
  log('stopped the Postgres and Kafka containers');
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}
