import { loadTrafficGeneratorConfig } from './traffic-generator.config';

const REQUIRED = {
  GATEWAY_URL: 'http://api-gateway:8080',
  API_CLIENT_ID: 'contoso-pharmacy',
  API_CLIENT_SECRET: 'contoso-pharmacy-demo-secret',
};

describe('loadTrafficGeneratorConfig', () => {
  it('schedules a delivery every 5 s, at most 5 under way, by default', () => {
    expect(loadTrafficGeneratorConfig(REQUIRED)).toMatchObject({
      PORT: 3007,
      TRAFFIC_INTERVAL_MS: 5_000,
      TRAFFIC_MAX_IN_FLIGHT: 5,
      TRAFFIC_DELIVERY_TIMEOUT_MS: 300_000,
    });
  });

  it('takes its pace from the environment', () => {
    const config = loadTrafficGeneratorConfig({
      ...REQUIRED,
      TRAFFIC_INTERVAL_MS: '2000',
      TRAFFIC_MAX_IN_FLIGHT: '12',
    });

    expect(config).toMatchObject({ TRAFFIC_INTERVAL_MS: 2_000, TRAFFIC_MAX_IN_FLIGHT: 12 });
  });

  it.each([
    ['GATEWAY_URL is missing', { GATEWAY_URL: undefined }, /GATEWAY_URL/],
    ['a URL has no scheme', { GATEWAY_URL: 'api-gateway:8080' }, /GATEWAY_URL/],
    ['the client secret is missing', { API_CLIENT_SECRET: undefined }, /API_CLIENT_SECRET/],
    ['the interval is below 100 ms', { TRAFFIC_INTERVAL_MS: '10' }, /TRAFFIC_INTERVAL_MS/],
  ])('refuses to start when %s', (_, env, reason) => {
    expect(() => loadTrafficGeneratorConfig({ ...REQUIRED, ...env })).toThrow(reason);
  });
});
