import { loadSchedulerConfig } from './scheduler.config';

const REQUIRED = {
  DATABASE_URL: 'postgres://scheduler:secret@localhost:5432/scheduler',
  AUTH_ISSUER: 'http://identity:3008',
  AUTH_JWKS_URL: 'http://identity:3008/.well-known/jwks.json',
  ACCOUNTS_URL: 'http://accounts:3002',
  PACKAGE_URL: 'http://package:3003',
  DRONE_MANAGEMENT_URL: 'http://drone-management:3004',
  DELIVERY_URL: 'http://delivery:3005',
};

describe('loadSchedulerConfig', () => {
  it('bounds the asynchronous requests by default', () => {
    expect(loadSchedulerConfig(REQUIRED).ASYNC_SAGAS_MAX_PENDING).toBe(100);
    expect(() => loadSchedulerConfig({ ...REQUIRED, ASYNC_SAGAS_MAX_PENDING: '0' })).toThrow(
      /ASYNC_SAGAS_MAX_PENDING/,
    );
  });

  // A saga step is one downstream call, queueing for a slot included; it must end before the
  // lease does, or another replica's recovery could run the saga beside it.
  it('refuses a saga lease that a downstream call could outlive', () => {
    const config = { ...REQUIRED, DOWNSTREAM_TOTAL_TIMEOUT_MS: '10000' };
    expect(() => loadSchedulerConfig({ ...config, SAGA_LEASE_MS: '10000' })).toThrow(
      /SAGA_LEASE_MS: must be longer than DOWNSTREAM_TOTAL_TIMEOUT_MS/,
    );
    expect(loadSchedulerConfig({ ...config, SAGA_LEASE_MS: '10001' }).SAGA_LEASE_MS).toBe(10_001);
  });
});
