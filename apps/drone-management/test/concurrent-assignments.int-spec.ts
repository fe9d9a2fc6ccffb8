import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  DEFAULT_SERVICE_AREA,
  type DroneView,
  NO_DRONE_AVAILABLE_PROBLEM,
} from '@drone-delivery/contracts';
import {
  createTestDatabase,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  testKafkaBrokers,
  serviceTokenEnv,
} from '@drone-delivery/testing';
import { destinationPoint } from '../src/geo/geo';
import { type AssignmentOrProblem, type Call, internalApi, schedulerToken } from './internal-api';

/**
 * Many schedulers asking for drones at the same moment: every drone goes to exactly one delivery,
 * and every request beyond the fleet hears "no drone available".
 */

const FLEET_SIZE = 10;
const REQUESTS = 30;

describe('drone-management under concurrent assignments', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let db: Client;
  let call: Call;

  beforeAll(async () => {
    database = await createTestDatabase('drone_management_concurrency');
    service = await startServiceProcess({
      app: 'drone-management',
      env: {
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        // The drones stay on the ground, so released ones are free again at once.
        SIMULATOR_ENABLED: 'false',
        FLEET_SIZE: String(FLEET_SIZE),
      },
    });
    db = new Client({ connectionString: database.url });
    await db.connect();
    call = internalApi(service.url, await schedulerToken());
  });

  afterAll(async () => {
    await db?.end();
    await service?.stop();
    await database?.drop();
  });

  // Every drone of the fleet can fly this one: the ranking differs, the answer set must not.
  const pickup = DEFAULT_SERVICE_AREA.center;
  const request = { pickup, dropoff: destinationPoint(pickup, 45, 2), packageWeightKg: 1 };

  async function assignAllAtOnce(deliveryIds: string[]) {
    return Promise.all(
      deliveryIds.map((deliveryId) =>
        call<AssignmentOrProblem>('PUT', `/internal/v1/assignments/${deliveryId}`, request),
      ),
    );
  }

  async function activeAssignments(): Promise<{ count: number; drones: number }> {
    const { rows } = await db.query<{ count: number; drones: number }>(
      `SELECT count(*)::int AS count, count(DISTINCT drone_id)::int AS drones
         FROM assignments WHERE status = 'active'`,
    );
    return rows[0];
  }

  it(`gives ${FLEET_SIZE} of ${REQUESTS} simultaneous requests a drone each, never one twice`, async () => {
    const deliveryIds = Array.from({ length: REQUESTS }, () => uuidv7());
    const answers = await assignAllAtOnce(deliveryIds);

    const created = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(created).toHaveLength(FLEET_SIZE);
    expect(refused).toHaveLength(REQUESTS - FLEET_SIZE);
    expect(new Set(created.map((answer) => answer.body.droneId)).size).toBe(FLEET_SIZE);
    for (const answer of refused) {
      expect(answer.body.type).toBe(NO_DRONE_AVAILABLE_PROBLEM);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    expect(await activeAssignments()).toEqual({ count: FLEET_SIZE, drones: FLEET_SIZE });
    const fleet = (await call<DroneView[]>('GET', '/internal/v1/drones')).body;
    expect(fleet.filter((drone) => drone.status === 'assigned')).toHaveLength(FLEET_SIZE);
  });

  it('frees every drone when all are released at once, and hands them out again', async () => {
    const { rows } = await db.query<{ delivery_id: string }>(
      `SELECT delivery_id FROM assignments WHERE status = 'active'`,
    );
    expect(rows).toHaveLength(FLEET_SIZE);
    const releases = await Promise.all(
      rows.map((row) => call('DELETE', `/internal/v1/assignments/${row.delivery_id}`)),
    );
    expect(releases.every((answer) => answer.status === 204)).toBe(true);
    expect(await activeAssignments()).toEqual({ count: 0, drones: 0 });

    const answers = await assignAllAtOnce(Array.from({ length: REQUESTS }, () => uuidv7()));
    const created = answers.filter((answer) => answer.status === 201);
    expect(created).toHaveLength(FLEET_SIZE);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(REQUESTS - FLEET_SIZE);
    expect(new Set(created.map((answer) => answer.body.droneId)).size).toBe(FLEET_SIZE);
    expect(await activeAssignments()).toEqual({ count: FLEET_SIZE, drones: FLEET_SIZE });
  });
});
