import { loadEnvironment } from './environment';
import { ServiceConfig } from './service-config';

class ExampleConfig extends ServiceConfig {
  override PORT = 3997;
}

const DATABASE_URL = 'postgres://user:secret@db:5432/example';
/** A file that exists and can be read. */
const READABLE = __filename;

const load = (env: Record<string, string>) =>
  loadEnvironment(ExampleConfig, { DATABASE_URL, ...env });

describe('the TLS settings of ServiceConfig', () => {
  it('are off by default', () => {
    const config = load({});
    expect(config.KAFKA_SSL).toBe(false);
    expect(config.DATABASE_CA_FILE).toBeUndefined();
    expect(config.KAFKA_CA_FILE).toBeUndefined();
  });

  it('read TLS to the database and to the brokers, client certificate included', () => {
    const config = load({
      DATABASE_URL: `${DATABASE_URL}?sslmode=verify-full`,
      DATABASE_CA_FILE: READABLE,
      KAFKA_SSL: 'true',
      KAFKA_CA_FILE: READABLE,
      KAFKA_CERT_FILE: READABLE,
      KAFKA_KEY_FILE: READABLE,
    });
    expect(config).toMatchObject({ KAFKA_SSL: true, KAFKA_CA_FILE: READABLE });
  });

  it.each([
    [
      'a file that cannot be read',
      { KAFKA_SSL: 'true', KAFKA_CA_FILE: '/nonexistent/ca.pem' },
      'KAFKA_CA_FILE must name a readable file (got "/nonexistent/ca.pem")',
    ],
    [
      'a CA without KAFKA_SSL',
      { KAFKA_CA_FILE: READABLE },
      'KAFKA_CA_FILE needs KAFKA_SSL set too',
    ],
    [
      'a client certificate without its key',
      { KAFKA_SSL: 'true', KAFKA_CERT_FILE: READABLE },
      'KAFKA_CERT_FILE needs KAFKA_KEY_FILE set too',
    ],
    [
      'an sslmode that does not check the host name',
      { DATABASE_URL: `${DATABASE_URL}?sslmode=require` },
      'DATABASE_URL: sslmode=require is not supported: use sslmode=verify-full (or disable)',
    ],
    [
      'a database CA without verify-full',
      { DATABASE_CA_FILE: READABLE },
      'DATABASE_CA_FILE: DATABASE_CA_FILE needs sslmode=verify-full in DATABASE_URL',
    ],
  ])('refuse %s', (_, env, message) => {
    expect(() => load(env)).toThrow(message);
  });
});
