import { DEMO_ACCOUNTS, type DroneView, type ServiceAreaView } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  serviceTokenEnv,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  testKafkaBrokers,
} from '@drone-delivery/testing';
import { internalApi, schedulerToken } from './internal-api';

/**
 * GET /api/v1/service-area, the service's one public route: the configured area with the home
 * bases its drones were seeded at, for any signed-in caller; absent when tokens cannot be checked.
 */

const OSLO = { lat: 59.9139, lng: 10.7522 };

describe('drone-management GET /api/v1/service-area', () => {
  let database: TestDatabase;
  let issuer: TestIssuer;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('drone_management_service_area'),
      startTestIssuer(),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled(processes.map((service) => service.stop()));
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  const start = async (env: Record<string, string>) => {
    const service = await startServiceProcess({
      app: 'drone-management',
      env: {
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        SIMULATOR_ENABLED: 'false',
        FLEET_SIZE: '6',
        HOME_BASES: '3',
        SERVICE_AREA_CENTER_LAT: String(OSLO.lat),
        SERVICE_AREA_CENTER_LNG: String(OSLO.lng),
        SERVICE_AREA_RADIUS_KM: '15',
        ...env,
      },
    });
    processes.push(service);
    return service;
  };

  it('gives the area and the home bases the fleet was seeded at', async () => {
    const service = await start(issuer.env);
    const response = await fetch(`${service.url}/api/v1/service-area`, {
      headers: {
        authorization: await issuer.bearer({ accountId: DEMO_ACCOUNTS.active.accountId }),
      },
    });
    expect(response.status).toBe(200);
    const area = (await response.json()) as ServiceAreaView;
    expect(area).toMatchObject({ center: OSLO, radiusKm: 15 });

    const call = internalApi(service.url, await schedulerToken());
    const drones = (await call<DroneView[]>('GET', '/internal/v1/drones')).body;
    const seeded = new Set(drones.map((drone) => JSON.stringify(drone.homeBase)));
    expect(new Set(area.homeBases.map((base) => JSON.stringify(base)))).toEqual(seeded);
    expect(area.homeBases).toHaveLength(3);

    const anonymous = await fetch(`${service.url}/api/v1/service-area`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('is not served without AUTH_ISSUER and AUTH_JWKS_URL; the internal API still is', async () => {
    const service = await start({});
    expect((await fetch(`${service.url}/api/v1/service-area`)).status).toBe(404);
    const call = internalApi(service.url, await schedulerToken());
    expect((await call<DroneView[]>('GET', '/internal/v1/drones')).status).toBe(200);
  });
});
