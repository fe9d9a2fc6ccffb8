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

const ENV = {
  DATABASE_URL: 'postgres://user:secret@db:5432/example',
  SERVICE_TOKEN_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
  KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092,',
};

/** The messaging settings' defaults: the demo's single broker, a day of sent outbox rows. */
const MESSAGING_DEFAULTS = {
  KAFKA_REPLICATION_FACTOR: 1,
  KAFKA_MIN_INSYNC_REPLICAS: 1,
  OUTBOX_RETENTION_HOURS: 24,
  INBOX_RETENTION_HOURS: 336,
};

describe('ServiceConfig', () => {
  it("reads the shared settings with the service's own default port", () => {
    const config = loadEnvironment(ExampleConfig, ENV);
    expect(config).toEqual({
      PORT: 3999,
      DATABASE_URL: ENV.DATABASE_URL,
      LOG_LEVEL: 'log',
      SERVICE_TOKEN_SECRET: ENV.SERVICE_TOKEN_SECRET,
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
        SERVICE_TOKEN_SECRET: 'short',
        KAFKA_BROKERS: 'kafka',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const expected of [
      '- PORT: PORT must not be greater than 65535',
      '- DATABASE_URL: DATABASE_URL must be a URL address',
      '- LOG_LEVEL: LOG_LEVEL must be one of the following values',
      '- SERVICE_TOKEN_SECRET: SERVICE_TOKEN_SECRET must be longer than or equal to 32 characters',
      '- KAFKA_BROKERS: each broker must be host:port',
    ]) {
      expect(message).toContain(expected);
    }
  });

  it('asks no token secret of a service that has none', () => {
    expect(loadEnvironment(NoTokensConfig, { DATABASE_URL: ENV.DATABASE_URL })).toEqual({
      PORT: 3998,
      DATABASE_URL: ENV.DATABASE_URL,
      LOG_LEVEL: 'log',
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
