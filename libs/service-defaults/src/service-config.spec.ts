import { IsString } from 'class-validator';
import { loadEnvironment } from './environment';
import { KafkaBrokerList, ServiceConfig, ServiceWithTokensConfig } from './service-config';

class ExampleConfig extends ServiceWithTokensConfig {
  override PORT = 3999;
  @KafkaBrokerList() KAFKA_BROKERS!: string[];
  @IsString() GREETING = 'hello';
}

class NoTokensConfig extends ServiceConfig {
  override PORT = 3998;
}

const TRUSTED_KEYS = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'scheduler:1' }] };

const ENV = {
  DATABASE_URL: 'postgres://user:secret@db:5432/example',
  SERVICE_TOKEN_TRUSTED_KEYS: JSON.stringify(TRUSTED_KEYS),
  KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092,',
};

/** The messaging settings' defaults: the demo's single broker, a day of sent outbox rows. */
const MESSAGING_DEFAULTS = {
  KAFKA_REPLICATION_FACTOR: 1,
  KAFKA_MIN_INSYNC_REPLICAS: 1,
  OUTBOX_RETENTION_HOURS: 24,
  INBOX_RETENTION_HOURS: 336,
  KAFKA_SSL: false,
};

describe('ServiceConfig', () => {
  it("reads the shared settings with the service's own default port", () => {
    const config = loadEnvironment(ExampleConfig, ENV);
    expect(config).toEqual({
      PORT: 3999,
      DATABASE_URL: ENV.DATABASE_URL,
      LOG_LEVEL: 'log',
      SERVICE_TOKEN_TRUSTED_KEYS: TRUSTED_KEYS,
      DEMO_MODE: false,
      KAFKA_BROKERS: ['kafka-1:9092', 'kafka-2:9092'],
      GREETING: 'hello',
      ...MESSAGING_DEFAULTS,
    });
    expect(loadEnvironment(ExampleConfig, { ...ENV, PORT: '8080' }).PORT).toBe(8080);
  });

  it('names every bad or missing shared setting at once', () => {
    let message = '';
    try {
      loadEnvironment(ExampleConfig, {
        PORT: '70000',
        LOG_LEVEL: 'loud',
        SERVICE_TOKEN_SIGNING_KEY: '{"kty": "OKP", "crv"',
        DEMO_MODE: 'maybe',
        KAFKA_BROKERS: 'kafka',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const expected of [
      '- PORT: PORT must not be greater than 65535',
      '- DATABASE_URL: DATABASE_URL must be a URL address',
      '- LOG_LEVEL: LOG_LEVEL must be one of the following values',
      '- SERVICE_TOKEN_SIGNING_KEY: SERVICE_TOKEN_SIGNING_KEY must be an object',
      '- DEMO_MODE: DEMO_MODE must be a boolean value',
      '- KAFKA_BROKERS: each broker must be host:port',
    ]) {
      expect(message).toContain(expected);
    }
  });

  it("refuses a database role whose password is its own name, the demo's, unless DEMO_MODE", () => {
    const demoUrl = 'postgres://delivery:delivery@postgres:5432/delivery';
    expect(() => loadEnvironment(NoTokensConfig, { DATABASE_URL: demoUrl })).toThrow(
      'DATABASE_URL: the password of role "delivery" is its own name',
    );
    expect(() =>
      loadEnvironment(NoTokensConfig, {
        DATABASE_URL: 'postgres://postgres:postgres@localhost:5433/postgres',
      }),
    ).toThrow('the password of role "postgres" is its own name');
    // Percent-encoding does not hide it.
    expect(() =>
      loadEnvironment(NoTokensConfig, { DATABASE_URL: 'postgres://a%40b:a%40b@db/x' }),
    ).toThrow('the password of role "a@b" is its own name');
    expect(
      loadEnvironment(NoTokensConfig, { DATABASE_URL: demoUrl, DEMO_MODE: 'true' }).DATABASE_URL,
    ).toBe(demoUrl);
    // A password of its own, or none at all (certificate or peer authentication), is fine.
    for (const url of [
      'postgres://delivery:s3cret@db/delivery',
      'postgres://delivery@db/delivery',
    ]) {
      expect(loadEnvironment(NoTokensConfig, { DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
  });

  it('reads DEMO_MODE as a boolean', () => {
    expect(loadEnvironment(ExampleConfig, { ...ENV, DEMO_MODE: 'true' }).DEMO_MODE).toBe(true);
    expect(loadEnvironment(ExampleConfig, { ...ENV, DEMO_MODE: '0' }).DEMO_MODE).toBe(false);
  });

  it('asks no token keys of a service that has none', () => {
    expect(loadEnvironment(NoTokensConfig, { DATABASE_URL: ENV.DATABASE_URL })).toEqual({
      PORT: 3998,
      DATABASE_URL: ENV.DATABASE_URL,
      LOG_LEVEL: 'log',
      DEMO_MODE: false,
      ...MESSAGING_DEFAULTS,
    });
  });

  it('reads the messaging settings, and refuses ones that are no count', () => {
    const config = loadEnvironment(ExampleConfig, {
      ...ENV,
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      INBOX_RETENTION_HOURS: '480',
    });
    expect(config).toMatchObject({ KAFKA_REPLICATION_FACTOR: 3, KAFKA_MIN_INSYNC_REPLICAS: 2 });
    expect(config.INBOX_RETENTION_HOURS).toBe(480);
    expect(() =>
      loadEnvironment(ExampleConfig, { ...ENV, KAFKA_MIN_INSYNC_REPLICAS: '0' }),
    ).toThrow(/KAFKA_MIN_INSYNC_REPLICAS must not be less than 1/);
    expect(() =>
      loadEnvironment(ExampleConfig, { ...ENV, OUTBOX_RETENTION_HOURS: 'a day' }),
    ).toThrow(/OUTBOX_RETENTION_HOURS/);
  });
});
