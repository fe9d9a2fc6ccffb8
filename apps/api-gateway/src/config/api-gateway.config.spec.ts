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
