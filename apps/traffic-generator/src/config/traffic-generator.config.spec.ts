import { loadTrafficGeneratorConfig } from './traffic-generator.config';

const REQUIRED = {
  SCHEDULER_URL: 'http://scheduler:3001',
  DELIVERY_URL: 'http://delivery:3005',
  DELIVERY_HISTORY_URL: 'http://delivery-history:3006',
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
    ['SCHEDULER_URL is missing', { SCHEDULER_URL: undefined }, /SCHEDULER_URL/],
    ['a URL has no scheme', { DELIVERY_URL: 'delivery:3005' }, /DELIVERY_URL/],
    ['the interval is below 100 ms', { TRAFFIC_INTERVAL_MS: '10' }, /TRAFFIC_INTERVAL_MS/],
  ])('refuses to start when %s', (_, env, reason) => {
    expect(() => loadTrafficGeneratorConfig({ ...REQUIRED, ...env })).toThrow(reason);
  });
});
