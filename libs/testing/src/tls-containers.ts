import {
  GenericContainer,
  RandomPortGenerator,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { type TestCertificates } from './test-certificates';
import { assertContainerRuntimeAvailable, SINGLE_NODE_KAFKA_ENVIRONMENT } from './test-containers';
import { DEFAULT_KAFKA_IMAGE, DEFAULT_POSTGRES_IMAGE } from './test-infrastructure.config';

/**
 * The TLS tests start servers of their own, configured for TLS, so they need a Docker engine
 * even when the run uses given servers (DATABASE_URL and KAFKA_BROKERS).
 */
async function imageOf(variable: 'POSTGRES_IMAGE' | 'KAFKA_IMAGE'): Promise<string> {
  await assertContainerRuntimeAvailable();
  const fallback = variable === 'POSTGRES_IMAGE' ? DEFAULT_POSTGRES_IMAGE : DEFAULT_KAFKA_IMAGE;
  return process.env[variable]?.trim() || fallback;
}

export interface StartedTlsPostgres {
  container: StartedTestContainer;
  /** Host and port; the URL's user is `test`, password `test`, database `postgres`. */
  host: string;
  port: number;
}

/**
 * Postgres that accepts TLS connections only (pg_hba `hostssl`), with the given server
 * certificate. For the TLS tests alone: the run's shared server stays plain text.
 */
export async function startTlsPostgres(
  certificates: TestCertificates,
): Promise<StartedTlsPostgres> {
  const container = await new GenericContainer(await imageOf('POSTGRES_IMAGE'))
    .withEnvironment({ POSTGRES_USER: 'test', POSTGRES_PASSWORD: 'test' })
    .withCopyContentToContainer([
      { content: certificates.cert.pem, target: '/tls/server.crt', mode: 0o644 },
      { content: certificates.key.pem, target: '/tls/server.key', mode: 0o644 },
      {
        // Runs after initdb: the catch-all line admits TLS connections only.
        content: `sed -i 's/^host all all all /hostssl all all all /' "$PGDATA/pg_hba.conf"\n`,
        target: '/docker-entrypoint-initdb.d/hostssl-only.sh',
        mode: 0o644,
      },
    ])
    // Postgres refuses a key that is not its user's own with mode 0600; copied files are root's.
    .withEntrypoint([
      'bash',
      '-c',
      'install -m 600 /tls/server.key /var/lib/postgresql/server.key && exec docker-entrypoint.sh "$@"',
      '--',
    ])
    .withCommand([
      'postgres',
      '-c',
      'fsync=off',
      '-c',
      'ssl=on',
      '-c',
      'ssl_cert_file=/tls/server.crt',
      '-c',
      'ssl_key_file=/var/lib/postgresql/server.key',
    ])
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forSuccessfulCommand('pg_isready -h 127.0.0.1 -p 5432 -U test'))
    .withStartupTimeout(120_000)
    .start();
  return { container, host: container.getHost(), port: container.getMappedPort(5432) };
}

export interface StartedTlsKafka {
  container: StartedTestContainer;
  /** The TLS listener: server certificate checked, no client certificate asked for. */
  tlsBrokers: string[];
  /** The mutual-TLS listener: the client must present a certificate the test CA signed. */
  mutualTlsBrokers: string[];
}

/**
 * Single-node KRaft Kafka (configured like test-containers' startKafka) whose listeners on the
 * host are TLS only, using Kafka's PEM key and trust stores (no JKS to build). Plain text stays
 * inside the container, for the broker's own connections.
 */
export async function startTlsKafka(certificates: TestCertificates): Promise<StartedTlsKafka> {
  const ports = new RandomPortGenerator();
  const tlsPort = await ports.generatePort();
  const mutualTlsPort = await ports.generatePort();
  const container = await new GenericContainer(await imageOf('KAFKA_IMAGE'))
    .withEnvironment({
      ...SINGLE_NODE_KAFKA_ENVIRONMENT,
      KAFKA_LISTENERS: 'SSL://:9092,MTLS://:9094,PLAINTEXT://:19092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS:
        `SSL://localhost:${tlsPort},MTLS://localhost:${mutualTlsPort},` +
        'PLAINTEXT://localhost:19092',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:
        'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL',
      KAFKA_SSL_KEYSTORE_TYPE: 'PEM',
      KAFKA_SSL_KEYSTORE_LOCATION: '/tls/server.pem',
      KAFKA_SSL_TRUSTSTORE_TYPE: 'PEM',
      KAFKA_SSL_TRUSTSTORE_LOCATION: '/tls/ca.crt',
      KAFKA_LISTENER_NAME_MTLS_SSL_CLIENT_AUTH: 'required',
    })
    .withCopyContentToContainer([
      { content: certificates.keyAndCert.pem, target: '/tls/server.pem', mode: 0o644 },
      { content: certificates.ca.pem, target: '/tls/ca.crt', mode: 0o644 },
    ])
    .withExposedPorts({ container: 9092, host: tlsPort }, { container: 9094, host: mutualTlsPort })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return {
    container,
    tlsBrokers: [`localhost:${tlsPort}`],
    mutualTlsBrokers: [`localhost:${mutualTlsPort}`],
  };
}
