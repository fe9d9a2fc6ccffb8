import { loadDeliveryConfig } from './delivery.config';

const REQUIRED = {
  DATABASE_URL: 'postgres://delivery:secret@localhost:5432/delivery',
  SERVICE_TOKEN_SECRET: 'a-service-token-secret-of-32-chars-or-more',
};

describe('loadDeliveryConfig', () => {
  it('reads the Kafka settings, with defaults for the group and the outbox poll', () => {
    const config = loadDeliveryConfig({ ...REQUIRED, KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' });

    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.KAFKA_GROUP_ID).toBe('delivery');
    expect(config.OUTBOX_POLL_MS).toBe(200);
  });

  it('takes the group id and poll interval from the environment', () => {
    const config = loadDeliveryConfig({
      ...REQUIRED,
      KAFKA_BROKERS: 'localhost:9094',
      KAFKA_GROUP_ID: 'delivery-test-1',
      OUTBOX_POLL_MS: '50',
    });

    expect(config).toMatchObject({ KAFKA_GROUP_ID: 'delivery-test-1', OUTBOX_POLL_MS: 50 });
  });

  it.each([
    ['missing', {}],
    ['empty', { KAFKA_BROKERS: ' , ' }],
    ['without a port', { KAFKA_BROKERS: 'kafka' }],
  ])('refuses to start when KAFKA_BROKERS is %s', (_, env) => {
    expect(() => loadDeliveryConfig({ ...REQUIRED, ...env })).toThrow(/KAFKA_BROKERS/);
  });
});
