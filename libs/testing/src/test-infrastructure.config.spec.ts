import {
  DEFAULT_KAFKA_IMAGE,
  DEFAULT_POSTGRES_IMAGE,
  parseBrokerList,
  planTestInfrastructure,
} from './test-infrastructure.config';

describe('planTestInfrastructure', () => {
  it('uses servers the caller runs when both addresses are given', () => {
    expect(
      planTestInfrastructure({
        DATABASE_URL: 'postgres://u:p@db:5432/x',
        KAFKA_BROKERS: 'k1:9092, k2:9092',
      }),
    ).toEqual({
      mode: 'external',
      databaseUrl: 'postgres://u:p@db:5432/x',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
    });
  });

  it('starts containers from the official images by default', () => {
    expect(planTestInfrastructure({})).toEqual({
      mode: 'containers',
      postgresImage: DEFAULT_POSTGRES_IMAGE,
      kafkaImage: DEFAULT_KAFKA_IMAGE,
    });
  });

  it('takes the images from POSTGRES_IMAGE and KAFKA_IMAGE', () => {
    expect(
      planTestInfrastructure({ POSTGRES_IMAGE: 'pg:local', KAFKA_IMAGE: 'kafka:local' }),
    ).toEqual({
      mode: 'containers',
      postgresImage: 'pg:local',
      kafkaImage: 'kafka:local',
    });
  });

  it('refuses half-given infrastructure and names the missing variable', () => {
    expect(() => planTestInfrastructure({ DATABASE_URL: 'postgres://db/x' })).toThrow(
      /KAFKA_BROKERS is not set/,
    );
    expect(() => planTestInfrastructure({ KAFKA_BROKERS: 'k:9092' })).toThrow(
      /DATABASE_URL is not set/,
    );
  });
});

describe('parseBrokerList', () => {
  it('rejects entries that are not host:port', () => {
    expect(() => parseBrokerList('localhost')).toThrow(/not host:port/);
    expect(() => parseBrokerList(' , ')).toThrow(/empty/);
  });
});
