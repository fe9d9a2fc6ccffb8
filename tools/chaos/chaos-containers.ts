import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import {
  GenericContainer,
  RandomPortGenerator,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { SINGLE_NODE_KAFKA_ENVIRONMENT, waitFor } from '@drone-delivery/testing';
import { type SeverableProxy, startSeverableProxy } from './severable-proxy';

/**
 * Postgres and Kafka as the test harness starts them (same images, same settings), but on host
 * ports fixed before start: Docker keeps a fixed binding across `docker restart`, while a
 * container given a random port may come back on another one. Kafka gets a second listener,
 * advertised at a severable proxy, for the one consumer the run cuts off.
 */
export interface ChaosInfrastructure {
  postgresAdminUrl: string;
  /** Every client but the cut one. */
  kafkaBrokers: string;
  /** The cut one's: through the proxy, which advertises itself. */
  severableKafkaBrokers: string;
  kafkaProxy: SeverableProxy;
  /** `docker restart`; resolves when the server answers again, with the time that took. */
  restartPostgres(): Promise<{ downMs: number; samePort: boolean }>;
  restartKafka(): Promise<{ downMs: number; samePort: boolean }>;
  stop(): Promise<void>;
}

const POSTGRES_USER = 'chaos';
const POSTGRES_PASSWORD = 'chaos';

export async function startChaosInfrastructure(images: {
  postgres: string;
  kafka: string;
}): Promise<ChaosInfrastructure> {
  const ports = new RandomPortGenerator();
  const [postgresPort, kafkaPort, severablePort] = [
    await ports.generatePort(),
    await ports.generatePort(),
    await ports.generatePort(),
  ];
  // The proxy's port is advertised, so it must be known before Kafka starts.
  const kafkaProxy = await startSeverableProxy({ host: '127.0.0.1', port: severablePort });
  const started = await Promise.allSettled([
    new GenericContainer(images.postgres)
      .withEnvironment({ POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB: 'postgres' })
      .withCommand(['postgres', '-c', 'fsync=off', '-c', 'max_connections=400'])
      .withExposedPorts({ container: 5432, host: postgresPort })
      .withWaitStrategy(
        Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -p 5432 -U ${POSTGRES_USER}`),
      )
      .withStartupTimeout(120_000)
      .start(),
    new GenericContainer(images.kafka)
      .withEnvironment({
        ...SINGLE_NODE_KAFKA_ENVIRONMENT,
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093,SEVERABLE://:9095',
        KAFKA_ADVERTISED_LISTENERS:
          `PLAINTEXT://localhost:${kafkaPort},` + `SEVERABLE://127.0.0.1:${kafkaProxy.port}`,
        KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:
          'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SEVERABLE:PLAINTEXT',
      })
      .withExposedPorts(
        { container: 9092, host: kafkaPort },
        { container: 9095, host: severablePort },
      )
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(120_000)
      .start(),
  ]);
  const containers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  if (containers.length < 2) {
    await Promise.allSettled(containers.map((container) => container.stop()));
    await kafkaProxy.close();
    const reasons = started.flatMap((result) =>
      result.status === 'rejected' ? [String(result.reason)] : [],
    );
    throw new Error(`Could not start Postgres and Kafka:\n${reasons.join('\n')}`);
  }
  const [postgres, kafka] = containers;
  const postgresAdminUrl = `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${postgresPort}/postgres`;
  const kafkaBrokers = `localhost:${kafkaPort}`;
  await waitForPostgres(postgresAdminUrl);
  await waitForKafka(kafkaBrokers);

  const restart = async (
    container: StartedTestContainer,
    ports: { container: number; host: number },
    ready: () => Promise<void>,
  ) => {
    const since = Date.now();
    await container.restart({ timeout: 5 });
    await ready();
    // Testcontainers re-reads the bindings after a restart: proof the services' address holds.
    return {
      downMs: Date.now() - since,
      samePort: container.getMappedPort(ports.container) === ports.host,
    };
  };
  return {
    postgresAdminUrl,
    kafkaBrokers,
    severableKafkaBrokers: `127.0.0.1:${kafkaProxy.port}`,
    kafkaProxy,
    restartPostgres: () =>
      restart(postgres, { container: 5432, host: postgresPort }, () =>
        waitForPostgres(postgresAdminUrl),
      ),
    restartKafka: () =>
      restart(kafka, { container: 9092, host: kafkaPort }, () => waitForKafka(kafkaBrokers)),
    stop: async () => {
      await kafkaProxy.close();
      await Promise.allSettled([postgres.stop(), kafka.stop()]);
    },
  };
}

async function waitForPostgres(url: string): Promise<void> {
  await waitFor(
    async () => {
      const client = new Client({ connectionString: url });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return undefined;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    { timeoutMs: 120_000, intervalMs: 250, description: 'Postgres answers' },
  );
}

async function waitForKafka(brokers: string): Promise<void> {
  const admin = new Kafka({
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  await waitFor(
    async () => {
      try {
        await admin.connect();
        await admin.listTopics();
        return true;
      } catch {
        return undefined;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    { timeoutMs: 120_000, intervalMs: 500, description: 'Kafka answers' },
  );
}
