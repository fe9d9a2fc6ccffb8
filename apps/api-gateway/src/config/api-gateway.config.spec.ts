import { existsSync } from 'node:fs';
import path from 'node:path';
import { TOPICS } from '@drone-delivery/contracts';
import { loadApiGatewayConfig } from './api-gateway.config';

const REQUIRED = {
  DATABASE_URL: 'postgres://gateway:secret@db:5432/gateway',
  AUTH_ISSUER: 'https://localhost:8080/identity',
  AUTH_JWKS_URL: 'http://identity:3008/identity/jwks',
  SCHEDULER_URL: 'http://scheduler:3001',
  DELIVERY_URL: 'http://delivery:3005',
  DELIVERY_HISTORY_URL: 'http://delivery-history:3006',
  IDENTITY_URL: 'http://identity:3008',
  KAFKA_BROKERS: 'kafka:9092',
};

describe('the gateway TLS settings', () => {
  it('serve plain HTTP unless both files are given', () => {
    const config = loadApiGatewayConfig(REQUIRED);
    expect(config.GATEWAY_TLS_CERT_FILE).toBeUndefined();
    expect(
      loadApiGatewayConfig({
        ...REQUIRED,
        GATEWAY_TLS_CERT_FILE: __filename,
        GATEWAY_TLS_KEY_FILE: __filename,
      }),
    ).toMatchObject({ GATEWAY_TLS_CERT_FILE: __filename, GATEWAY_TLS_KEY_FILE: __filename });
  });

  it.each([
    [
      { GATEWAY_TLS_CERT_FILE: __filename },
      'GATEWAY_TLS_CERT_FILE needs GATEWAY_TLS_KEY_FILE set too',
    ],
    [
      { GATEWAY_TLS_KEY_FILE: __filename },
      'GATEWAY_TLS_KEY_FILE needs GATEWAY_TLS_CERT_FILE set too',
    ],
    [
      { GATEWAY_TLS_CERT_FILE: '/missing.crt', GATEWAY_TLS_KEY_FILE: __filename },
      'GATEWAY_TLS_CERT_FILE must name a readable file (got "/missing.crt")',
    ],
  ])('refuse %j', (env, message) => {
    expect(() => loadApiGatewayConfig({ ...REQUIRED, ...env })).toThrow(message);
  });
});

describe('the dashboard and operations settings', () => {
  it("default to the workspace's dashboard build and every topic of the system", () => {
    const config = loadApiGatewayConfig(REQUIRED);

    const workspace = path.resolve(__dirname, '../../../..');
    expect(existsSync(path.join(workspace, 'nx.json'))).toBe(true);
    expect(config.DASHBOARD_DIR).toBe(path.join(workspace, 'dist', 'apps', 'dashboard'));
    expect(config.DEAD_LETTER_SOURCE_TOPICS).toEqual(Object.values(TOPICS).map((t) => t.name));
    expect(config.DRONE_MANAGEMENT_URL).toBe('http://drone-management:3004');
  });

  it('read a list of topics, and refuse what is not a topic name', () => {
    expect(
      loadApiGatewayConfig({ ...REQUIRED, DEAD_LETTER_SOURCE_TOPICS: ' a.v1, b-2 ,' })
        .DEAD_LETTER_SOURCE_TOPICS,
    ).toEqual(['a.v1', 'b-2']);
    expect(() =>
      loadApiGatewayConfig({ ...REQUIRED, DEAD_LETTER_SOURCE_TOPICS: 'a.v1,no spaces' }),
    ).toThrow('each topic must be a Kafka topic name');
    expect(() => loadApiGatewayConfig({ ...REQUIRED, DEAD_LETTER_SOURCE_TOPICS: ',' })).toThrow(
      'DEAD_LETTER_SOURCE_TOPICS',
    );
  });
});
