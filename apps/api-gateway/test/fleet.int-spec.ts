/**
 * `GET /api/v1/fleet` end to end (publish/async responses): the gateway publishes one request on
 * Kafka, three real drone-management processes each answer with the drones they fly, and the
 * gateway returns what arrived by its deadline, naming the instances.
 */
import { v7 as uuidv7 } from 'uuid';
import { DEMO_ACCOUNTS, type GeoPoint } from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  testKafkaBrokers,
  waitFor,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

const CENTER: GeoPoint = { lat: 10 + Math.random() * 10, lng: 20 + Math.random() * 10 };

interface FleetView {
  instances: { instanceId: string; drones: number }[];
  drones: { droneId: string; deliveryId: string | null; instanceId: string }[];
}

describe('GET /api/v1/fleet', () => {
  const brokers = testKafkaBrokers().join(',');
  const databases: TestDatabase[] = [];
  const processes: ServiceProcess[] = [];
  let issuer: TestIssuer;
  let gateway: ServiceProcess;
  let droneManagement: ServiceProcess[];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const fleetDatabase = await createTestDatabase('api_gateway_fleet_dm');
    const gatewayDatabase = await createTestDatabase('api_gateway_fleet');
    databases.push(fleetDatabase, gatewayDatabase);
    const startDroneManagement = (index: number) =>
      startServiceProcess({
        app: 'drone-management',
        readyTimeoutMs: 90_000,
        env: {
          DATABASE_URL: fleetDatabase.url,
          ...serviceTokenEnv(),
          LOG_LEVEL: 'warn',
          KAFKA_BROKERS: brokers,
          INSTANCE_ID: `fleet-spec-${index}`,
          SIMULATION_TIME_SCALE: '2',
          SIMULATOR_TICK_MS: '100',
          TELEMETRY_INTERVAL_MS: '100',
          SERVICE_AREA_CENTER_LAT: String(CENTER.lat),
          SERVICE_AREA_CENTER_LNG: String(CENTER.lng),
          FLEET_SIZE: '3',
        },
      });
    // The first migrates and seeds the fleet; the other two join it.
    droneManagement = [await startDroneManagement(1)];
    droneManagement.push(...(await Promise.all([2, 3].map(startDroneManagement))));
    processes.push(...droneManagement);
    gateway = await startServiceProcess({
      app: 'api-gateway',
      readyTimeoutMs: 90_000,
      env: {
        DATABASE_URL: gatewayDatabase.url,
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: brokers,
        ...issuer.env,
        SCHEDULER_URL: droneManagement[0].url,
        DELIVERY_URL: droneManagement[0].url,
        DELIVERY_HISTORY_URL: droneManagement[0].url,
        IDENTITY_URL: droneManagement[0].url,
        FLEET_SNAPSHOT_WAIT_MS: '1500',
      },
    });
    processes.push(gateway);
  });

  afterAll(async () => {
    await Promise.allSettled(processes.map((service) => service.stop()));
    await Promise.allSettled(databases.map((database) => database.drop()));
    await issuer?.stop();
  });

  const fleet = async (bearer: string) => {
    const response = await fetch(`${gateway.url}/api/v1/fleet`, {
      headers: { authorization: bearer },
    });
    return { status: response.status, body: (await response.json()) as FleetView };
  };

  it('names all three drone-management instances, and the drone flying a delivery', async () => {
    const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
    const deliveryId = uuidv7();
    const assigned = await fetch(
      `${droneManagement[0].url}/internal/v1/assignments/${deliveryId}`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${await tokens.tokenFor('drone-management')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          pickup: { lat: CENTER.lat + 0.02, lng: CENTER.lng },
          dropoff: { lat: CENTER.lat, lng: CENTER.lng + 0.02 },
          packageWeightKg: 1,
        }),
      },
    );
    expect(assigned.status).toBe(201);
    const { droneId } = (await assigned.json()) as { droneId: string };
    const operator = await issuer.bearer({ operator: true });

    // Every instance answers at once; the drone shows once a simulator tick has flown it.
    const view = await waitFor(
      async () => {
        const answer = await fleet(operator);
        expect(answer.status).toBe(200);
        return answer.body.drones.some((drone) => drone.droneId === droneId) &&
          answer.body.instances.length === 3
          ? answer.body
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'a snapshot with the flying drone' },
    );

    expect(view.instances.map((instance) => instance.instanceId)).toEqual([
      'fleet-spec-1',
      'fleet-spec-2',
      'fleet-spec-3',
    ]);
    expect(view.drones.find((drone) => drone.droneId === droneId)).toMatchObject({
      deliveryId,
      instanceId: expect.stringMatching(/^fleet-spec-[123]$/) as unknown,
    });
  });

  it('is for operators only: a customer gets 403, no token 401', async () => {
    const customer = await issuer.bearer({ accountId: DEMO_ACCOUNTS.active.accountId });
    expect((await fleet(customer)).status).toBe(403);
    expect((await fetch(`${gateway.url}/api/v1/fleet`)).status).toBe(401);
  });
});
