import { type DroneView } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  testKafkaBrokers,
  serviceTokenEnv,
} from '@drone-delivery/testing';
import { haversineKm } from '../src/geo/geo';
import { internalApi, schedulerToken } from './internal-api';

/** Two replicas starting together on an empty database seed one fleet, not two. */

const NEW_YORK = { lat: 40.7128, lng: -74.006 };

describe('drone-management fleet seeding', () => {
  let database: TestDatabase;
  const replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('drone_management_seeding');
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await database?.drop();
  });

  const env = (fleetSize: number) => ({
    DATABASE_URL: database.url,
    ...serviceTokenEnv(),
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    SIMULATOR_ENABLED: 'false',
    FLEET_SIZE: String(fleetSize),
    HOME_BASES: '2',
    SERVICE_AREA_CENTER_LAT: String(NEW_YORK.lat),
    SERVICE_AREA_CENTER_LNG: String(NEW_YORK.lng),
    SERVICE_AREA_RADIUS_KM: '10',
  });

  async function fleetOf(replica: ServiceProcess): Promise<DroneView[]> {
    const call = internalApi(replica.url, await schedulerToken());
    return (await call<DroneView[]>('GET', '/internal/v1/drones')).body;
  }

  it('seeds the configured fleet exactly once when two replicas start at once', async () => {
    replicas.push(
      ...(await Promise.all([
        startServiceProcess({ app: 'drone-management', env: env(7) }),
        startServiceProcess({ app: 'drone-management', env: env(7) }),
      ])),
    );
    const [first, second] = await Promise.all(replicas.map(fleetOf));
    expect(first).toHaveLength(7);
    expect(second).toEqual(first);
    expect(new Set(first.map((drone) => drone.name)).size).toBe(7);
    const bases = new Set(first.map((drone) => `${drone.homeBase.lat},${drone.homeBase.lng}`));
    expect(bases.size).toBe(2);
    for (const drone of first) {
      expect(haversineKm(NEW_YORK, drone.homeBase)).toBeLessThan(10);
      expect(drone).toMatchObject({ status: 'idle', batteryPercent: 100 });
    }
  });

  it('leaves an existing fleet alone on the next start, even with another FLEET_SIZE', async () => {
    const before = await fleetOf(replicas[0]);
    await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
    replicas.push(await startServiceProcess({ app: 'drone-management', env: env(12) }));
    expect(await fleetOf(replicas[0])).toEqual(before);
  });
});
