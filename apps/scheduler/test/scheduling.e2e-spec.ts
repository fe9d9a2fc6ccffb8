import { Client } from 'pg';
import {
  type AssignmentView,
  DEMO_ACCOUNTS,
  type DeliveryStatusView,
  type DeliveryView,
  type DroneView,
  type PackageView,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  waitFor,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

/**
 * The scheduling path end to end: the real accounts, package, drone-management, delivery and
 * scheduler as processes, each with its own database, talking with service tokens; callers carry
 * access tokens of a test issuer.
 */

const FLEET_SIZE = 10;
const UNKNOWN_ID = '0193a1c2-0000-7000-8000-000000000000';

interface Scheduled {
  deliveryId: string;
  packageId: string;
  droneId: string;
  stage: string;
  pickupEta: string;
  dropoffEta: string;
}

const ORDER = {
  accountId: DEMO_ACCOUNTS.active.accountId,
  pickup: { lat: 47.6101, lng: -122.3421 },
  dropoff: { lat: 47.6205, lng: -122.3493 },
  package: { size: 'small', weightKg: 1.2 },
};

async function bodyOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('scheduling a delivery across the five services', () => {
  const databases: TestDatabase[] = [];
  const processes: ServiceProcess[] = [];
  let accounts: ServiceProcess;
  let packages: ServiceProcess;
  let droneManagement: ServiceProcess;
  let delivery: ServiceProcess;
  let scheduler: ServiceProcess;
  let schedulerDatabase: TestDatabase;
  let issuer: TestIssuer;
  const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });

  async function start(app: string, env: Record<string, string> = {}, database?: TestDatabase) {
    const db = database ?? (await createTestDatabase(`e2e_${app.replace('-', '_')}`));
    if (!database) databases.push(db);
    const service = await startServiceProcess({
      app,
      // Four services compile and start at once: give a busy machine time.
      readyTimeoutMs: 90_000,
      env: {
        ...issuer.env,
        DATABASE_URL: db.url,
        ...serviceTokenEnv('scheduler'),
        KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
    processes.push(service);
    return service;
  }

  const schedulerEnv = () => ({
    ACCOUNTS_URL: accounts.url,
    PACKAGE_URL: packages.url,
    DRONE_MANAGEMENT_URL: droneManagement.url,
    DELIVERY_URL: delivery.url,
    SAGA_LEASE_MS: '6000',
    SAGA_RECOVERY_INTERVAL_MS: '500',
  });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    [accounts, packages, droneManagement, delivery] = await Promise.all([
      start('accounts'),
      start('package'),
      // The synchronous path only: with the flight simulator on, a cancelled drone would fly home
      // and recharge before it is idle again. The event path has its own end-to-end test.
      start('drone-management', { FLEET_SIZE: String(FLEET_SIZE), SIMULATOR_ENABLED: 'false' }),
      start('delivery'),
    ]);
    schedulerDatabase = await createTestDatabase('e2e_scheduler');
    databases.push(schedulerDatabase);
    scheduler = await start('scheduler', schedulerEnv(), schedulerDatabase);
  }, 200_000);

  afterAll(async () => {
    await Promise.allSettled(processes.map((service) => service.stop()));
    await Promise.allSettled(databases.map((database) => database.drop()));
    await issuer?.stop();
  });

  /** The `Authorization` of the demo account's customer, unless another account is named. */
  const customer = (accountId: string = ORDER.accountId) => issuer.bearer({ accountId });

  const schedule = async (url = scheduler.url, body: unknown = ORDER) =>
    fetch(`${url}/api/v1/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await customer() },
      body: JSON.stringify(body),
    });

  /** An internal GET, with a service token as the scheduler would send. */
  async function internalGet(service: ServiceProcess, audience: string, path: string) {
    return fetch(`${service.url}${path}`, {
      headers: { authorization: `Bearer ${await tokens.tokenFor(audience)}` },
    });
  }
  const getPackage = (id: string) =>
    internalGet(packages, 'package', `/internal/v1/packages/${id}`);
  const getAssignment = (id: string) =>
    internalGet(droneManagement, 'drone-management', `/internal/v1/assignments/${id}`);
  const getDelivery = (id: string) =>
    internalGet(delivery, 'delivery', `/internal/v1/deliveries/${id}`);
  const listDrones = async () =>
    bodyOf<DroneView[]>(
      await internalGet(droneManagement, 'drone-management', '/internal/v1/drones'),
    );

  const cancel = async (id: string, authorization?: string) =>
    fetch(`${scheduler.url}/api/v1/deliveries/${id}`, {
      method: 'DELETE',
      headers: { authorization: authorization ?? (await customer()) },
    });

  it('writes one delivery into package, drone-management and delivery under the same ids', async () => {
    const response = await schedule();
    expect(response.status).toBe(201);
    const scheduled = await bodyOf<Scheduled>(response);
    expect(scheduled.stage).toBe('Created');

    const stored = await getPackage(scheduled.packageId);
    expect(stored.status).toBe(200);
    expect(await bodyOf<PackageView>(stored)).toMatchObject({
      packageId: scheduled.packageId,
      accountId: ORDER.accountId,
      ...ORDER.package,
    });
    const assignment = await bodyOf<AssignmentView>(await getAssignment(scheduled.deliveryId));
    expect(assignment).toMatchObject({ droneId: scheduled.droneId, status: 'active' });
    const internal = await bodyOf<DeliveryView>(await getDelivery(scheduled.deliveryId));
    expect(internal).toMatchObject({
      packageId: scheduled.packageId,
      droneId: scheduled.droneId,
      accountId: ORDER.accountId,
    });
    const status = await fetch(`${delivery.url}/api/v1/deliveries/${scheduled.deliveryId}`, {
      headers: { authorization: await customer() },
    });
    expect(status.status).toBe(200);
    expect(await bodyOf<DeliveryStatusView>(status)).toMatchObject({
      deliveryId: scheduled.deliveryId,
      stage: 'Created',
      droneId: scheduled.droneId,
    });

    expect((await cancel(scheduled.deliveryId)).status).toBe(200);
  });

  it('reschedules with new ETAs, cancels and frees the drone, then refuses to reschedule', async () => {
    const scheduled = await bodyOf<Scheduled>(await schedule());
    const url = `${scheduler.url}/api/v1/deliveries/${scheduled.deliveryId}`;
    const patch = async (body: unknown) =>
      fetch(url, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: await customer() },
        body: JSON.stringify(body),
      });

    const rescheduled = await patch({ dropoff: { lat: 47.68, lng: -122.29 } });
    expect(rescheduled.status).toBe(200);
    const view = await bodyOf<DeliveryView>(rescheduled);
    expect(view.stage).toBe('Rescheduled');
    expect(view.dropoffEta).not.toBe(scheduled.dropoffEta);

    const cancelled = await cancel(scheduled.deliveryId);
    expect(cancelled.status).toBe(200);
    expect((await bodyOf<DeliveryView>(cancelled)).stage).toBe('Cancelled');
    expect((await bodyOf<AssignmentView>(await getAssignment(scheduled.deliveryId))).status).toBe(
      'released',
    );
    const drone = (await listDrones()).find((candidate) => candidate.droneId === scheduled.droneId);
    expect(drone?.status).toBe('idle');

    expect((await patch({ deadline: '2099-01-01T00:00:00Z' })).status).toBe(409);
  });

  it("answers 404 to another account's PATCH and DELETE, as for an unknown id; its owner's still work", async () => {
    const scheduled = await bodyOf<Scheduled>(await schedule());
    expect(scheduled.stage).toBe('Created');
    // A customer of another account: the suspended demo account may still read and change its own.
    const other = await customer(DEMO_ACCOUNTS.suspended.accountId);
    const patchAs = (id: string) =>
      fetch(`${scheduler.url}/api/v1/deliveries/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: other },
        body: JSON.stringify({ deadline: '2099-01-01T00:00:00Z' }),
      });
    const answers = async (responses: Response[], id: string) =>
      Promise.all(
        responses.map(async (response) => ({
          status: response.status,
          body: (await response.text()).replaceAll(id, '<id>'),
        })),
      );

    const theirs = await answers(
      [await patchAs(scheduled.deliveryId), await cancel(scheduled.deliveryId, other)],
      scheduled.deliveryId,
    );
    const unknown = await answers(
      [await patchAs(UNKNOWN_ID), await cancel(UNKNOWN_ID, other)],
      UNKNOWN_ID,
    );
    expect(theirs.map((answer) => answer.status)).toEqual([404, 404]);
    expect(theirs).toEqual(unknown);

    // Untouched: still Created, its drone still booked; its owner cancels it.
    expect((await bodyOf<DeliveryView>(await getDelivery(scheduled.deliveryId))).stage).toBe(
      'Created',
    );
    expect((await bodyOf<AssignmentView>(await getAssignment(scheduled.deliveryId))).status).toBe(
      'active',
    );
    expect((await cancel(scheduled.deliveryId)).status).toBe(200);
  });

  it('finishes or undoes, never half, the saga of a scheduler that crashed mid-way', async () => {
    const crashDatabase = await createTestDatabase('e2e_scheduler_crash');
    databases.push(crashDatabase);
    const crashing = await start(
      'scheduler',
      { ...schedulerEnv(), SAGA_CRASH_AFTER_STEP: 'assignment' },
      crashDatabase,
    );
    const answer = await schedule(crashing.url).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    expect(answer).toBe('fetch failed'); // it died before answering
    await crashing.stop();

    const recovering = await start('scheduler', schedulerEnv(), crashDatabase);
    const db = new Client({ connectionString: crashDatabase.url });
    await db.connect();
    try {
      const saga = await waitFor(
        async () => {
          const { rows } = await db.query<{
            state: string;
            delivery_id: string;
            package_id: string;
          }>('SELECT state, delivery_id, package_id FROM saga_log');
          return rows[0]?.state === 'succeeded' || rows[0]?.state === 'failed'
            ? rows[0]
            : undefined;
        },
        { timeoutMs: 30_000, description: 'the restarted scheduler finished the saga' },
      );
      const [storedPackage, assignment, storedDelivery] = await Promise.all([
        getPackage(saga.package_id),
        getAssignment(saga.delivery_id),
        getDelivery(saga.delivery_id),
      ]);
      if (saga.state === 'succeeded') {
        // Whole: the delivery exists with the package and the drone the saga booked.
        expect(storedPackage.status).toBe(200);
        const booked = await bodyOf<AssignmentView>(assignment);
        expect(booked.status).toBe('active');
        expect(await bodyOf<DeliveryView>(storedDelivery)).toMatchObject({
          packageId: saga.package_id,
          droneId: booked.droneId,
        });
        expect((await cancel(saga.delivery_id)).status).toBe(200);
      } else {
        // Undone: no package, no drone held, no delivery.
        expect(storedPackage.status).toBe(404);
        expect(
          assignment.status === 404 ||
            (await bodyOf<AssignmentView>(assignment)).status === 'released',
        ).toBe(true);
        expect(storedDelivery.status).toBe(404);
      }
    } finally {
      await db.end();
      await recovering.stop();
    }
  });

  it('books exactly the fleet under 50 concurrent requests and undoes the rest', async () => {
    // Every earlier delivery was cancelled: the whole fleet is idle again, ready to reassign.
    await waitFor(
      async () =>
        (await listDrones()).filter((drone) => drone.status === 'idle').length === FLEET_SIZE,
      { timeoutMs: 30_000, description: 'the whole fleet idle' },
    );
    const startedAt = new Date();
    const responses = await Promise.all(Array.from({ length: 50 }, () => schedule()));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(FLEET_SIZE);
    expect(statuses.filter((status) => status === 503)).toHaveLength(50 - FLEET_SIZE);
    for (const refused of responses.filter((response) => response.status === 503)) {
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    const booked = await Promise.all(
      responses
        .filter((response) => response.status === 201)
        .map((response) => bodyOf<Scheduled>(response)),
    );
    // Every drone of the fleet, those freed by the cancellations above included, got one.
    const fleet = (await listDrones()).map((drone) => drone.droneId);
    expect(new Set(booked.map((scheduled) => scheduled.droneId))).toEqual(new Set(fleet));

    // The 40 refused sagas ended failed, their packages deleted.
    const db = new Client({ connectionString: schedulerDatabase.url });
    await db.connect();
    try {
      const failed = await waitFor(
        async () => {
          const { rows } = await db.query<{ package_id: string; state: string }>(
            'SELECT package_id, state FROM saga_log WHERE created_at >= $1 AND state <> $2',
            [startedAt, 'succeeded'],
          );
          return rows.length === 50 - FLEET_SIZE && rows.every((row) => row.state === 'failed')
            ? rows
            : undefined;
        },
        { timeoutMs: 30_000, description: '40 failed sagas' },
      );
      const packageStatuses = await Promise.all(
        failed.map(async (row) => (await getPackage(row.package_id)).status),
      );
      expect(packageStatuses).toEqual(failed.map(() => 404));
    } finally {
      await db.end();
    }
  });
});
