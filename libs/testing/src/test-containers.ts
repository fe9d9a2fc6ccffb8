import {
  GenericContainer,
  RandomPortGenerator,
  type StartedTestContainer,
  Wait,
  getContainerRuntimeClient,
} from 'testcontainers';

export interface StartedPostgres {
  container: StartedTestContainer;
  /** Superuser URL of the server's maintenance database; tests create their own databases. */
  adminUrl: string;
}

export interface StartedKafka {
  container: StartedTestContainer;
  brokers: string[];
}

const POSTGRES_USER = 'test';
const POSTGRES_PASSWORD = 'test';

/** Fails fast, with instructions, when no Docker engine answers. */
export async function assertContainerRuntimeAvailable(): Promise<void> {
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    throw new Error(
      'The integration tests need a real Postgres and Kafka, and neither was given:\n' +
        '  - start a Docker engine (Docker Desktop, or `dockerd`) so Testcontainers can run them, or\n' +
        '  - set DATABASE_URL (postgres://user:password@host:port/db, a user that may CREATE DATABASE)\n' +
        '    and KAFKA_BROKERS (host:port[,host:port]) to servers you already run.\n' +
        `Testcontainers said: ${(error as Error).message}`,
    );
  }
}

export async function startPostgres(image: string): Promise<StartedPostgres> {
  const container = await new GenericContainer(image)
    .withEnvironment({
      POSTGRES_USER,
      POSTGRES_PASSWORD,
      POSTGRES_DB: 'postgres',
    })
    // Durability buys nothing in a throwaway test server; turning it off roughly halves DDL time.
    .withCommand([
      'postgres',
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ])
    .withExposedPorts(5432)
    // The official image runs its init scripts on a socket-only server first, so a TCP
    // pg_isready succeeds only once the real server is up.
    .withWaitStrategy(
      Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -p 5432 -U ${POSTGRES_USER} -d postgres`),
    )
    .withStartupTimeout(120_000)
    .start();
  const host = container.getHost();
  const port = container.getMappedPort(5432);
  return {
    container,
    adminUrl: `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@${host}:${port}/postgres`,
  };
}

/**
 * A single-node KRaft broker's settings, apart from its listeners (which each use names):
 * internal topics with one replica, no rebalance delay, three partitions per topic.
 */
export const SINGLE_NODE_KAFKA_ENVIRONMENT: Readonly<Record<string, string>> = {
  KAFKA_NODE_ID: '1',
  KAFKA_PROCESS_ROLES: 'broker,controller',
  KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
  KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
  KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
  KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '3',
  KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
  KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
  KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  KAFKA_NUM_PARTITIONS: '3',
  // Tests create every topic they use, as the services do at start-up; auto-creation would
  // hide a missing topic declaration.
  KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
};

/**
 * Single-node Kafka in KRaft mode, configured like the official `apache/kafka` image.
 *
 * `@testcontainers/kafka` targets Confluent's images, so this uses a GenericContainer. Kafka hands
 * clients the advertised listener address, which must be the port on the host; choosing the host
 * port before start lets the container advertise it from the first second.
 */
export async function startKafka(image: string): Promise<StartedKafka> {
  const hostPort = await new RandomPortGenerator().generatePort();
  const container = await new GenericContainer(image)
    .withEnvironment({
      ...SINGLE_NODE_KAFKA_ENVIRONMENT,
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    })
    .withExposedPorts({ container: 9092, host: hostPort })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return { container, brokers: [`localhost:${hostPort}`] };
}
