import { loadDeliveryConfig } from './delivery.config';

const REQUIRED = {
  DATABASE_URL: 'postgres://delivery:secret@localhost:5432/delivery',
  AUTH_ISSUER: 'http://localhost:8080/identity',
  AUTH_JWKS_URL: 'http://identity:3008/identity/jwks',
};

describe('loadDeliveryConfig', () => {
  it('reads the Kafka settings, with defaults for the group and the outbox poll', () => {
    const config = loadDeliveryConfig({ ...REQUIRED, KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' });

    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.KAFKA_GROUP_ID).toBe('delivery');
    expect(config.OUTBOX_POLL_MS).toBe(200);
  });

  it('checks access tokens against the identity provider, for the gateway by default', () => {
    const config = loadDeliveryConfig({ ...REQUIRED, KAFKA_BROKERS: 'localhost:9094' });

    expect(config).toMatchObject({
      AUTH_ISSUER: 'http://localhost:8080/identity',
      AUTH_JWKS_URL: 'http://identity:3008/identity/jwks',
      AUTH_AUDIENCE: 'api-gateway',
    });
  });

  it('refuses to start without the issuer of the access tokens', () => {
    expect(() =>
      loadDeliveryConfig({ ...REQUIRED, AUTH_ISSUER: undefined, KAFKA_BROKERS: 'localhost:9094' }),
    ).toThrow(/AUTH_ISSUER/);
  });

  it('allows 25 deliveries in flight per account unless told otherwise', () => {
    const base = { ...REQUIRED, KAFKA_BROKERS: 'localhost:9094' };

    expect(loadDeliveryConfig(base).DELIVERY_QUOTA_IN_FLIGHT).toBe(25);
    expect(loadDeliveryConfig({ ...base, DELIVERY_QUOTA_IN_FLIGHT: '2' })).toMatchObject({
      DELIVERY_QUOTA_IN_FLIGHT: 2,
    });
    expect(() => loadDeliveryConfig({ ...base, DELIVERY_QUOTA_IN_FLIGHT: '0' })).toThrow(
      /DELIVERY_QUOTA_IN_FLIGHT/,
    );
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

  it('starts without any notification channel configured, with defaults for the rest', () => {
    const config = loadDeliveryConfig({
      ...REQUIRED,
      KAFKA_BROKERS: 'localhost:9094',
      SMTP_URL: '',
    });

    expect(config).toMatchObject({
      NOTIFICATION_MATCHER_GROUP_ID: 'delivery-notification-matcher',
      NOTIFIER_GROUP_ID: 'delivery-notifier',
      NOTIFY_MAX_ATTEMPTS: 3,
    });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.SMS_PROVIDER_URL).toBeUndefined();
  });

  it('reads the notification channels from the environment', () => {
    const config = loadDeliveryConfig({
      ...REQUIRED,
      KAFKA_BROKERS: 'localhost:9094',
      SMTP_URL: 'smtp://mailer:secret@mail:587',
      SMTP_FROM: 'Deliveries <deliveries@example.com>',
      SMS_PROVIDER_URL: 'https://sms.example.com/v1/messages',
      SMS_PROVIDER_TOKEN: 'token',
      NOTIFY_MAX_ATTEMPTS: '5',
    });

    expect(config).toMatchObject({
      SMTP_URL: 'smtp://mailer:secret@mail:587',
      SMTP_FROM: 'Deliveries <deliveries@example.com>',
      SMS_PROVIDER_URL: 'https://sms.example.com/v1/messages',
      SMS_PROVIDER_TOKEN: 'token',
      NOTIFY_MAX_ATTEMPTS: 5,
    });
  });

  it.each([
    [
      'an SMS provider without its token',
      { SMS_PROVIDER_URL: 'https://sms.example.com' },
      /SMS_PROVIDER_TOKEN/,
    ],
    ['a mail server that is not an SMTP URL', { SMTP_URL: 'http://mail:25' }, /SMTP_URL/],
    ['no attempt at all', { NOTIFY_MAX_ATTEMPTS: '0' }, /NOTIFY_MAX_ATTEMPTS/],
  ])('refuses to start with %s', (_, env, reason) => {
    expect(() =>
      loadDeliveryConfig({ ...REQUIRED, KAFKA_BROKERS: 'localhost:9094', ...env }),
    ).toThrow(reason);
  });

  it('caps the wait between sends of a notification, at two minutes at most', () => {
    const base = { ...REQUIRED, KAFKA_BROKERS: 'localhost:9094' };

    expect(loadDeliveryConfig(base)).toMatchObject({
      NOTIFY_BACKOFF_MS: 500,
      NOTIFY_BACKOFF_MAX_MS: 10_000,
    });
    expect(
      loadDeliveryConfig({ ...base, NOTIFY_BACKOFF_MS: '50', NOTIFY_BACKOFF_MAX_MS: '200' }),
    ).toMatchObject({ NOTIFY_BACKOFF_MS: 50, NOTIFY_BACKOFF_MAX_MS: 200 });
    expect(() => loadDeliveryConfig({ ...base, NOTIFY_BACKOFF_MAX_MS: '2560000' })).toThrow(
      /NOTIFY_BACKOFF_MAX_MS/,
    );
    expect(() =>
      loadDeliveryConfig({ ...base, NOTIFY_BACKOFF_MS: '5000', NOTIFY_BACKOFF_MAX_MS: '1000' }),
    ).toThrow(/NOTIFY_BACKOFF_MS must not exceed NOTIFY_BACKOFF_MAX_MS/);
  });

  it('calls only public https webhooks unless hosts or http are allowed', () => {
    const base = { ...REQUIRED, KAFKA_BROKERS: 'localhost:9094' };

    expect(loadDeliveryConfig(base)).toMatchObject({
      WEBHOOK_ALLOWED_HOSTS: [],
      WEBHOOK_ALLOW_HTTP: 'false',
    });
    expect(
      loadDeliveryConfig({
        ...base,
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:8080, Webhook-Receiver ,[::1]:3001',
        WEBHOOK_ALLOW_HTTP: 'true',
      }),
    ).toMatchObject({
      WEBHOOK_ALLOWED_HOSTS: ['127.0.0.1:8080', 'webhook-receiver', '[::1]:3001'],
      WEBHOOK_ALLOW_HTTP: 'true',
    });
    expect(() =>
      loadDeliveryConfig({ ...base, WEBHOOK_ALLOWED_HOSTS: 'http://receiver:8080/hooks' }),
    ).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    expect(() => loadDeliveryConfig({ ...base, WEBHOOK_ALLOW_HTTP: 'yes' })).toThrow(
      /WEBHOOK_ALLOW_HTTP/,
    );
  });
});
