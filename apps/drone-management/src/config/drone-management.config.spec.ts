import { loadDroneManagementConfig } from './drone-management.config';
import { flightSettings } from '../flight/flight-settings';

const REQUIRED = {
  DATABASE_URL: 'postgres://drone_management:secret@localhost:5432/drone_management',
  KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
};

describe('loadDroneManagementConfig', () => {
  it('runs the simulator by default, ten times faster than real time', () => {
    const config = loadDroneManagementConfig(REQUIRED);

    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.simulatorEnabled).toBe(true);
    expect(config).toMatchObject({
      SIMULATION_TIME_SCALE: 10,
      SIMULATOR_TICK_MS: 500,
      TELEMETRY_INTERVAL_MS: 1_000,
    });
    // 60 km/h and a minute of loading, simulated: 600 km/h and 6 s of real time.
    expect(flightSettings(config)).toEqual({
      speedKmh: 600,
      loadMs: 6_000,
      chargePercentPerMinute: 50,
    });
  });

  it('keeps an idle drone in its fleet snapshots between two of its idle reports', () => {
    const idle = loadDroneManagementConfig(REQUIRED);
    // Two 30 s idle reports and a bit.
    expect(idle.flownDroneWindowMs).toBe(65_000);
    const quick = loadDroneManagementConfig({ ...REQUIRED, IDLE_TELEMETRY_INTERVAL_MS: '1000' });
    expect(quick.flownDroneWindowMs).toBe(7_000);
    const set = loadDroneManagementConfig({ ...REQUIRED, FLOWN_DRONE_WINDOW_MS: '2000' });
    expect(set.flownDroneWindowMs).toBe(2_000);
  });

  it('takes the simulator settings from the environment', () => {
    const config = loadDroneManagementConfig({
      ...REQUIRED,
      SIMULATOR_ENABLED: 'false',
      SIMULATION_TIME_SCALE: '200',
      SIMULATOR_TICK_MS: '100',
      TELEMETRY_INTERVAL_MS: '200',
    });

    expect(config.simulatorEnabled).toBe(false);
    expect(config).toMatchObject({
      SIMULATION_TIME_SCALE: 200,
      SIMULATOR_TICK_MS: 100,
      TELEMETRY_INTERVAL_MS: 200,
    });
  });

  it.each([
    ['KAFKA_BROKERS is missing', { KAFKA_BROKERS: undefined }, /KAFKA_BROKERS/],
    ['KAFKA_BROKERS has no port', { KAFKA_BROKERS: 'kafka' }, /KAFKA_BROKERS/],
    ['SIMULATOR_ENABLED is not a boolean', { SIMULATOR_ENABLED: 'yes' }, /SIMULATOR_ENABLED/],
    ['the time scale is not positive', { SIMULATION_TIME_SCALE: '0' }, /SIMULATION_TIME_SCALE/],
  ])('refuses to start when %s', (_, env, reason) => {
    expect(() => loadDroneManagementConfig({ ...REQUIRED, ...env })).toThrow(reason);
  });

  it('checks access tokens only with both the issuer and its keys', () => {
    expect(loadDroneManagementConfig(REQUIRED).AUTH_ISSUER).toBeUndefined();
    expect(
      loadDroneManagementConfig({
        ...REQUIRED,
        AUTH_ISSUER: 'http://localhost:8080/identity',
        AUTH_JWKS_URL: 'http://identity:3008/identity/jwks',
      }),
    ).toMatchObject({
      AUTH_ISSUER: 'http://localhost:8080/identity',
      AUTH_AUDIENCE: 'api-gateway',
    });
    expect(() =>
      loadDroneManagementConfig({ ...REQUIRED, AUTH_ISSUER: 'http://localhost:8080/identity' }),
    ).toThrow('AUTH_ISSUER needs AUTH_JWKS_URL set too');
  });
});
