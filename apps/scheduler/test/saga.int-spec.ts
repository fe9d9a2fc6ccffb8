import { Client } from 'pg';
import {
  DEMO_ACCOUNTS,
  type DeliveryView,
  type ProblemDetails,
  NO_DRONE_AVAILABLE_PROBLEM,
  OUT_OF_SERVICE_AREA_PROBLEM,
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
  testTrustedKeys,
} from '@drone-delivery/testing';
import {
  type FakeDownstreams,
  type RecordedRequest,
  SECOND_ACTIVE_ACCOUNT,
  startFakeDownstreams,
} from './fake-downstreams';

/**
 * The scheduler as a real process, its saga driven against fake downstreams whose answers each
 * test scripts: what it calls, in which order, with which ids and tokens, and what it undoes.
 * Callers carry access tokens of a test issuer, as the gateway passes them on.
 */

const BUDGET_MS = 1_000;
const ACTIVE = DEMO_ACCOUNTS.active.accountId;
const UNKNOWN_ID = '0193a1c2-0000-7000-8000-000000000000';
/** drone-management's 409 once the drone has the package (apps/drone-management assignment-problems.ts). */
const PICKED_UP_PROBLEM = 'https://drone-delivery.example/problems/assignment-picked-up';
/** The scheduler's 503 when it runs as many asynchronous requests as it takes. */
const ASYNC_BACKLOG_FULL_PROBLEM = 'https://drone-delivery.example/problems/async-backlog-full';
/** delivery's contract for an account over its quota (apps/delivery delivery-problems.ts). */
const QUOTA_EXCEEDED_PROBLEM = 'https://drone-delivery.example/problems/quota-exceeded';

interface Scheduled {
  deliveryId: string;
  packageId: string;
  droneId: string;
  stage: string;
  pickupEta: string;
  dropoffEta: string;
}
interface DeliveryRequestView {
  state: 'pending' | 'succeeded' | 'failed';
  deliveryId?: string;
  error?: ProblemDetails;
}

async function bodyOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** A customer may leave its account out: the token names it. */
const WITHOUT_ACCOUNT = {
  pickup: { lat: 47.61, lng: -122.33 },
  dropoff: { lat: 47.65, lng: -122.3 },
  package: { size: 'small', weightKg: 1.2 },
};
const ORDER = { accountId: ACTIVE, ...WITHOUT_ACCOUNT };

describe('scheduler saga against fake downstreams', () => {
  let fakes: FakeDownstreams;
  let database: TestDatabase;
  let scheduler: ServiceProcess;
  let db: Client;
  let schedulerEnv: Record<string, string>;
  let issuer: TestIssuer;

  beforeAll(async () => {
    fakes = await startFakeDownstreams();
    issuer = await startTestIssuer();
    database = await createTestDatabase('scheduler_saga');
    schedulerEnv = {
      ...issuer.env,
      DATABASE_URL: database.url,
      ...serviceTokenEnv('scheduler'),
      LOG_LEVEL: 'warn',
      ACCOUNTS_URL: fakes.accounts.url,
      PACKAGE_URL: fakes.packages.url,
      DRONE_MANAGEMENT_URL: fakes.droneManagement.url,
      DELIVERY_URL: fakes.delivery.url,
      DOWNSTREAM_TIMEOUT_MS: '400',
      DOWNSTREAM_TOTAL_TIMEOUT_MS: String(BUDGET_MS),
      DOWNSTREAM_MAX_ATTEMPTS: '3',
      BREAKER_THRESHOLD: '5',
      BREAKER_HALF_OPEN_MS: '300',
      SAGA_LEASE_MS: '3000',
      SAGA_RECOVERY_INTERVAL_MS: '200',
      RETRY_AFTER_SECONDS: '2',
    };
    scheduler = await startServiceProcess({ app: 'scheduler', env: schedulerEnv });
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await scheduler?.stop();
    await db?.end();
    await Promise.all(fakes?.all.map((fake) => fake.goDown()) ?? []);
    await database?.drop();
    await issuer?.stop();
  });

  beforeEach(() => {
    fakes.journal.length = 0;
  });

  // Each test starts from healthy downstreams and no unfinished saga, so none leaks into the next.
  afterEach(async () => {
    for (const fake of fakes.all) {
      fake.reset();
      await fake.comeBack();
    }
    await waitFor(async () => (await unfinishedSagas()) === 0, {
      timeoutMs: 15_000,
      description: 'every saga finished or compensated',
    });
  });

  /** `Authorization` of a customer of `accountId`, or of an operator. */
  const customer = (accountId: string = ACTIVE) => issuer.bearer({ accountId });
  const operator = () => issuer.bearer({ operator: true });

  /** A public call; as the customer of ACTIVE unless `authorization` says otherwise. */
  const api = async (
    path: string,
    init: { method?: string; body?: unknown; authorization?: string | null } = {},
  ) => {
    const authorization = init.authorization === undefined ? await customer() : init.authorization;
    return fetch(`${scheduler.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...(authorization !== null && { authorization }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  };

  /** POST /api/v1/deliveries, as the customer of ACTIVE unless `headers` has an authorization. */
  const schedule = async (
    body: unknown = ORDER,
    headers: Record<string, string> = {},
    url = scheduler.url,
  ) =>
    fetch(`${url}/api/v1/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await customer(), ...headers },
      body: JSON.stringify(body),
    });

  const calls = (service: string, method?: string): RecordedRequest[] =>
    fakes.journal.filter(
      (request) => request.service === service && (!method || request.method === method),
    );

  const packageIdOfThisTest = (): string => {
    const [put] = calls('package', 'PUT');
    expect(put).toBeDefined();
    return put.path.split('/').pop() as string;
  };

  async function unfinishedSagas(): Promise<number> {
    const { rows } = await db.query<{ count: string }>(
      `SELECT count(*) FROM saga_log WHERE state IN ('pending', 'compensating')`,
    );
    return Number(rows[0].count);
  }

  async function sagaOfPackage(packageId: string) {
    const { rows } = await db.query<{ state: string; delivery_id: string }>(
      'SELECT state, delivery_id FROM saga_log WHERE package_id = $1',
      [packageId],
    );
    return rows[0];
  }

  it('schedules: account, package, drone, delivery in order, under the same ids and tokens', async () => {
    const response = await schedule({ ...ORDER, expedited: true, confirmationRequired: 'picture' });
    expect(response.status).toBe(201);
    const body = await bodyOf<Scheduled>(response);
    expect(body).toEqual({
      deliveryId: expect.any(String),
      packageId: expect.any(String),
      droneId: fakes.state.assignments.get(body.deliveryId)?.droneId,
      stage: 'Created',
      pickupEta: expect.any(String),
      dropoffEta: expect.any(String),
    });
    expect(response.headers.get('location')).toBe(`/api/v1/deliveries/${body.deliveryId}`);

    expect(fakes.journal.map((call) => `${call.service} ${call.method} ${call.path}`)).toEqual([
      `accounts GET /internal/v1/accounts/${ACTIVE}`,
      `package PUT /internal/v1/packages/${body.packageId}`,
      `drone-management PUT /internal/v1/assignments/${body.deliveryId}`,
      `delivery PUT /internal/v1/deliveries/${body.deliveryId}`,
    ]);
    expect(calls('package', 'PUT')[0].body).toEqual({ accountId: ACTIVE, ...ORDER.package });
    expect(calls('delivery', 'PUT')[0].body).toEqual({
      accountId: ACTIVE,
      packageId: body.packageId,
      droneId: body.droneId,
      pickup: ORDER.pickup,
      dropoff: ORDER.dropoff,
      expedited: true,
      confirmationRequired: 'picture',
      pickupEta: body.pickupEta,
      dropoffEta: body.dropoffEta,
    });
    // Every call carries a token from the scheduler, addressed to the service it calls.
    for (const call of fakes.journal) {
      const token = call.authorization?.replace(/^Bearer /, '');
      const verifier = new ServiceTokens({
        serviceName: call.service,
        trustedKeys: testTrustedKeys(),
      });
      await expect(verifier.verify(token, ['scheduler'])).resolves.toEqual({
        caller: 'scheduler',
        audience: call.service,
      });
    }
  });

  it.each([
    ['hangs', () => Promise.resolve(fakes.droneManagement.answer('PUT', 'hang'))],
    ['is down', () => fakes.droneManagement.goDown()],
  ])(
    'answers 503 + Retry-After within the budget when drone-management %s, and deletes the package',
    async (_, breakDroneManagement) => {
      await breakDroneManagement();
      const response = await schedule();

      // The total budget itself is proven in libs/http's downstream-client spec, where missing it
      // would hang the test; a wall-clock bound here would fail on a loaded machine.
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await bodyOf<ProblemDetails>(response)).title).toMatch(/unavailable/);
      const packageId = packageIdOfThisTest();
      expect(calls('package', 'DELETE').map((call) => call.path)).toEqual([
        `/internal/v1/packages/${packageId}`,
      ]);
      expect(fakes.state.packages.has(packageId)).toBe(false);

      // The assignment got no answer, so it may exist: the recovery sweep releases it once
      // drone-management answers again.
      fakes.droneManagement.reset();
      await fakes.droneManagement.comeBack();
      const saga = await waitFor(
        async () => {
          const found = await sagaOfPackage(packageId);
          return found.state === 'failed' ? found : undefined;
        },
        { timeoutMs: 10_000, description: 'the saga compensated' },
      );
      expect(calls('drone-management', 'DELETE').map((call) => call.path)).toContain(
        `/internal/v1/assignments/${saga.delivery_id}`,
      );
    },
  );

  it('answers 503 when delivery fails, and the sweep undoes delivery, drone and package newest first', async () => {
    fakes.delivery.answer('PUT', { status: 500, body: { oops: true } });
    const response = await schedule();

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    const packageId = packageIdOfThisTest();
    const [assignmentPut] = calls('drone-management', 'PUT');
    const deliveryId = assignmentPut.path.split('/').pop() as string;
    // A 500 may have written the delivery, so the sweep undoes all of it, newest first: the
    // delivery (cancelled, or tombstoned if it was never written), then the drone, then the package.
    await waitFor(async () => (await sagaOfPackage(packageId)).state === 'failed', {
      timeoutMs: 10_000,
      description: 'the sweep compensated the saga',
    });
    expect(
      fakes.journal
        .filter((call) => call.method === 'DELETE')
        .map((call) => `${call.service} ${call.path}`),
    ).toEqual([
      `delivery /internal/v1/deliveries/${deliveryId}`,
      `drone-management /internal/v1/assignments/${deliveryId}`,
      `package /internal/v1/packages/${packageId}`,
    ]);
    expect(fakes.state.assignments.get(deliveryId)?.status).toBe('released');
    expect(fakes.state.packages.has(packageId)).toBe(false);
  });

  it('answers 503 when no drone is free, with nothing left booked', async () => {
    fakes.droneManagement.answer('PUT', {
      status: 409,
      body: { type: NO_DRONE_AVAILABLE_PROBLEM, title: 'busy', status: 409 },
    });
    const response = await schedule();

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await bodyOf<ProblemDetails>(response)).toMatchObject({
      type: NO_DRONE_AVAILABLE_PROBLEM,
      status: 503,
    });
    expect(fakes.state.packages.has(packageIdOfThisTest())).toBe(false);
    expect(calls('delivery')).toEqual([]);
  });

  it("passes drone-management's 422 out of service area through, after deleting the package", async () => {
    const outOfArea = {
      type: OUT_OF_SERVICE_AREA_PROBLEM,
      title: 'Out of the service area',
      status: 422,
      errors: [{ field: 'dropoff', message: 'is 80 km from the centre' }],
    };
    fakes.droneManagement.answer('PUT', { status: 422, body: outOfArea });
    const response = await schedule();

    expect(response.status).toBe(422);
    expect(await bodyOf<ProblemDetails>(response)).toEqual(outOfArea);
    expect(fakes.state.packages.has(packageIdOfThisTest())).toBe(false);
  });

  it.each([
    ['suspended', DEMO_ACCOUNTS.suspended.accountId, /suspended/],
    ['unknown', '33333333-3333-4333-8333-333333333333', /no account/],
  ])('answers 422 for a %s account and books nothing', async (_, accountId, detail) => {
    const response = await schedule(WITHOUT_ACCOUNT, { authorization: await customer(accountId) });

    expect(response.status).toBe(422);
    const problem = await bodyOf<ProblemDetails>(response);
    expect(problem.detail).toMatch(detail);
    expect(problem.errors).toEqual([{ field: 'accountId', message: expect.any(String) }]);
    expect(fakes.journal.map((call) => call.service)).toEqual(['accounts']);
  });

  it('rejects a package heavier than its size allows with a field error, before any call', async () => {
    const response = await schedule({ ...ORDER, package: { size: 'small', weightKg: 2.5 } });

    expect(response.status).toBe(400);
    expect((await bodyOf<ProblemDetails>(response)).errors).toEqual([
      { field: 'package.weightKg', message: expect.stringMatching(/at most 2 kg/) },
    ]);
    expect(fakes.journal).toEqual([]);
  });

  it('rejects a deadline before the pickup time and unknown fields', async () => {
    const response = await schedule({
      ...ORDER,
      pickupTime: '2099-01-02T10:00:00Z',
      deadline: '2099-01-02T09:00:00Z',
      colour: 'red',
    });

    expect(response.status).toBe(400);
    const fields = (await bodyOf<ProblemDetails>(response)).errors?.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['deadline', 'colour']));
    expect(fakes.journal).toEqual([]);
  });

  it('replays the first answer to a repeated Idempotency-Key, without calling anyone again', async () => {
    const key = { 'idempotency-key': `replay-${Date.now()}` };
    const first = await schedule(ORDER, key);
    expect(first.status).toBe(201);
    const callsAfterFirst = fakes.journal.length;

    // The same request, written differently: other key order, defaults spelt out.
    const again = await schedule(
      {
        package: ORDER.package,
        dropoff: ORDER.dropoff,
        pickup: ORDER.pickup,
        accountId: ACTIVE,
        expedited: false,
      },
      key,
    );
    expect(again.status).toBe(201);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await bodyOf<Scheduled>(again)).toEqual(await bodyOf<Scheduled>(first));
    expect(fakes.journal).toHaveLength(callsAfterFirst);
  });

  it('gives the Idempotency-Key back after a 503, so a retry with it is a new attempt', async () => {
    const key = { 'idempotency-key': `retry-${Date.now()}` };
    fakes.droneManagement.answer('PUT', {
      status: 409,
      body: { type: NO_DRONE_AVAILABLE_PROBLEM, title: 'busy', status: 409 },
    });
    expect((await schedule(ORDER, key)).status).toBe(503);

    fakes.droneManagement.reset();
    const retry = await schedule(ORDER, key);
    expect(retry.status).toBe(201);
    const { packageId } = await bodyOf<Scheduled>(retry);
    expect(calls('package', 'PUT').map((call) => call.path)).toEqual([
      expect.not.stringContaining(packageId),
      `/internal/v1/packages/${packageId}`,
    ]);
  });

  it('answers a repeat of a running request with 409, or 202 when it prefers to wait', async () => {
    const key = { 'idempotency-key': `running-${Date.now()}` };
    fakes.delivery.answer('PUT', 'hang');
    const first = await schedule(ORDER, { ...key, prefer: 'respond-async' });
    expect(first.status).toBe(202);
    const location = first.headers.get('location');
    await waitFor(() => calls('delivery', 'PUT').length > 0, { description: 'delivery PUT' });

    const repeat = await schedule(ORDER, key);
    expect(repeat.status).toBe(409);
    expect(repeat.headers.get('location')).toBe(location);
    expect(repeat.headers.get('retry-after')).toBe('1');
    const repeatAsync = await schedule(ORDER, { ...key, prefer: 'respond-async' });
    expect(repeatAsync.status).toBe(202);
    expect(repeatAsync.headers.get('location')).toBe(location);
  });

  it('answers 409 to an Idempotency-Key reused with another body', async () => {
    const key = { 'idempotency-key': `reuse-${Date.now()}` };
    expect((await schedule(ORDER, key)).status).toBe(201);
    const callsAfterFirst = fakes.journal.length;

    const other = await schedule({ ...ORDER, dropoff: { lat: 47.7, lng: -122.2 } }, key);
    expect(other.status).toBe(409);
    expect((await bodyOf<ProblemDetails>(other)).title).toMatch(/Idempotency-Key/);
    expect(fakes.journal).toHaveLength(callsAfterFirst);
  });

  it('answers 202 to Prefer: respond-async and reports the outcome at the Location', async () => {
    const response = await schedule(ORDER, { prefer: 'respond-async' });
    expect(response.status).toBe(202);
    const location = response.headers.get('location') as string;
    expect(location).toMatch(/^\/api\/v1\/delivery-requests\/[0-9a-f-]{36}$/);

    const outcome = await waitFor(
      async () => {
        const poll = await api(location);
        expect(poll.status).toBe(200);
        const view = await bodyOf<DeliveryRequestView>(poll);
        return view.state === 'succeeded' ? view : undefined;
      },
      { timeoutMs: 10_000, description: 'the request succeeded' },
    );
    expect(fakes.state.deliveries.has(outcome.deliveryId as string)).toBe(true);
  });

  it('reports a failed asynchronous request with its problem document', async () => {
    const authorization = await customer(DEMO_ACCOUNTS.suspended.accountId);
    const response = await schedule(WITHOUT_ACCOUNT, { prefer: 'respond-async', authorization });
    expect(response.status).toBe(202);
    const location = response.headers.get('location') as string;
    const outcome = await waitFor(
      async () => {
        const view = await bodyOf<DeliveryRequestView>(await api(location, { authorization }));
        return view.state === 'failed' ? view : undefined;
      },
      { timeoutMs: 10_000, description: 'the request failed' },
    );
    expect(outcome.error).toMatchObject({
      status: 422,
      detail: expect.stringMatching(/suspended/),
    });
  });

  it('answers 404 for an unknown delivery request and 400 for a non-UUID', async () => {
    const unknown = await api(`/api/v1/delivery-requests/${UNKNOWN_ID}`);
    expect(unknown.status).toBe(404);
    expect((await api('/api/v1/delivery-requests/nope')).status).toBe(400);
  });

  it('keeps the Idempotency-Key while a delivery that got no answer may exist, then gives it back once cancelled', async () => {
    const key = { 'idempotency-key': `uncertain-${Date.now()}` };
    fakes.delivery.answer('PUT', { status: 500, body: { oops: true } });
    fakes.delivery.answer('DELETE', { status: 503 });
    expect((await schedule(ORDER, key)).status).toBe(503);
    const packageId = packageIdOfThisTest();

    // Whether the delivery was written is not known: a retry is told it is in progress, and
    // starts nothing.
    const retry = await schedule(ORDER, key);
    expect(retry.status).toBe(409);
    expect(retry.headers.get('location')).toMatch(/^\/api\/v1\/delivery-requests\//);
    expect(calls('package', 'PUT')).toHaveLength(1);

    fakes.delivery.reset();
    await waitFor(async () => (await sagaOfPackage(packageId)).state === 'failed', {
      timeoutMs: 10_000,
      description: 'the sweep cancelled the delivery and finished compensating',
    });
    // Known now not to exist: the key is given back, and a retry is a new attempt.
    const again = await schedule(ORDER, key);
    expect(again.status).toBe(201);
    expect((await bodyOf<Scheduled>(again)).packageId).not.toBe(packageId);
  });

  it('records the saga as succeeded when the delivery that got no answer was written and flown meanwhile', async () => {
    const key = { 'idempotency-key': `went-ahead-${Date.now()}` };
    // The PUT is done, its answer lost; the sweep cannot cancel at first.
    fakes.delivery.answerAfterHandling('PUT', { status: 500, body: { oops: true } });
    fakes.delivery.answer('DELETE', { status: 503 });
    expect((await schedule(ORDER, key)).status).toBe(503);
    const packageId = packageIdOfThisTest();
    const { delivery_id: deliveryId } = await sagaOfPackage(packageId);
    const written = fakes.state.deliveries.get(deliveryId);
    expect(written).toBeDefined();

    // The drone flew it before the sweep came back.
    written!.stage = 'Completed';
    fakes.delivery.reset();
    await waitFor(async () => (await sagaOfPackage(packageId)).state === 'succeeded', {
      timeoutMs: 10_000,
      description: 'the sweep found the delivery completed',
    });
    // Nothing of a delivery that happened is undone, and the key replays its 201.
    expect(fakes.state.assignments.get(deliveryId)?.status).not.toBe('released');
    expect(fakes.state.packages.has(packageId)).toBe(true);
    const replay = await schedule(ORDER, key);
    expect(replay.status).toBe(201);
    expect(await bodyOf<Scheduled>(replay)).toMatchObject({ deliveryId, packageId });
  });

  it('finishes a compensation that had to wait for a service, once it is back', async () => {
    fakes.droneManagement.answer('PUT', {
      status: 409,
      body: { type: NO_DRONE_AVAILABLE_PROBLEM, title: 'busy', status: 409 },
    });
    fakes.packages.answer('DELETE', { status: 503 });
    const response = await schedule();
    expect(response.status).toBe(503);

    const packageId = packageIdOfThisTest();
    expect(fakes.state.packages.has(packageId)).toBe(true);
    expect((await sagaOfPackage(packageId)).state).toBe('compensating');

    fakes.packages.reset();
    await waitFor(async () => (await sagaOfPackage(packageId)).state === 'failed', {
      timeoutMs: 10_000,
      description: 'the recovery sweep finished the compensation',
    });
    expect(fakes.state.packages.has(packageId)).toBe(false);
  });

  it('finishes the saga of a scheduler that crashed right after booking the drone', async () => {
    const crashing = await startServiceProcess({
      app: 'scheduler',
      env: { ...schedulerEnv, SAGA_CRASH_AFTER_STEP: 'assignment' },
    });
    const answer = await schedule(ORDER, {}, crashing.url).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    expect(answer).toBe('fetch failed'); // the process died before it could answer
    await crashing.stop();
    const [assignmentPut] = calls('drone-management', 'PUT');
    const deliveryId = assignmentPut.path.split('/').pop() as string;
    expect(calls('delivery')).toEqual([]);

    // The running scheduler's sweep takes the saga over once the dead one's lease lapses.
    const delivery = await waitFor(() => fakes.state.deliveries.get(deliveryId), {
      timeoutMs: 15_000,
      description: 'the recovered saga created the delivery',
    });
    expect(delivery.droneId).toBe(fakes.state.assignments.get(deliveryId)?.droneId);
    expect(fakes.state.packages.has(delivery.packageId)).toBe(true);
    await waitFor(async () => (await sagaOfPackage(delivery.packageId)).state === 'succeeded', {
      description: 'the saga succeeded',
    });
  });

  it('reschedules: re-plans the drone, then updates the delivery with the new ETAs', async () => {
    const scheduled = await bodyOf<Scheduled>(await schedule());
    fakes.journal.length = 0;
    const dropoff = { lat: 47.66, lng: -122.31 };

    const response = await api(`/api/v1/deliveries/${scheduled.deliveryId}`, {
      method: 'PATCH',
      body: { dropoff },
    });
    expect(response.status).toBe(200);
    const updated = await bodyOf<DeliveryView>(response);
    expect(updated).toMatchObject({ stage: 'Rescheduled', dropoff });
    expect(updated.dropoffEta).not.toBe(scheduled.dropoffEta);
    expect(fakes.journal.map((call) => `${call.service} ${call.method}`)).toEqual([
      'delivery GET',
      'drone-management PATCH',
      'delivery PATCH',
    ]);
    expect(calls('delivery', 'PATCH')[0].body).toEqual({
      dropoff,
      pickupEta: updated.pickupEta,
      dropoffEta: updated.dropoffEta,
    });
  });

  it('refuses to reschedule once drone-management says the drone has picked up, and leaves delivery alone', async () => {
    const scheduled = await bodyOf<Scheduled>(await schedule());
    const before = structuredClone(fakes.state.deliveries.get(scheduled.deliveryId));
    fakes.journal.length = 0;
    fakes.droneManagement.answer('PATCH', {
      status: 409,
      body: { type: PICKED_UP_PROBLEM, title: 'The package has been picked up', status: 409 },
    });

    const response = await api(`/api/v1/deliveries/${scheduled.deliveryId}`, {
      method: 'PATCH',
      body: { dropoff: { lat: 47.66, lng: -122.31 } },
    });
    expect(response.status).toBe(409);
    expect((await bodyOf<ProblemDetails>(response)).type).toBe(PICKED_UP_PROBLEM);
    expect(fakes.journal.map((call) => `${call.service} ${call.method}`)).toEqual([
      'delivery GET',
      'drone-management PATCH',
    ]);
    expect(fakes.state.deliveries.get(scheduled.deliveryId)).toEqual(before);
  });

  it('runs at most ASYNC_SAGAS_MAX_PENDING asynchronous requests; a new one beyond is 503 + Retry-After', async () => {
    // Long budgets, so that the first saga runs until the test lets it fail.
    const bounded = await startServiceProcess({
      app: 'scheduler',
      env: {
        ...schedulerEnv,
        ASYNC_SAGAS_MAX_PENDING: '1',
        DOWNSTREAM_TIMEOUT_MS: '20000',
        DOWNSTREAM_TOTAL_TIMEOUT_MS: '20000',
        SAGA_LEASE_MS: '30000',
      },
    });
    try {
      fakes.accounts.answer('GET', 'hang');
      const key = { 'idempotency-key': `bounded-${Date.now()}` };
      const first = await schedule(ORDER, { ...key, prefer: 'respond-async' }, bounded.url);
      expect(first.status).toBe(202);
      await waitFor(() => calls('accounts').length === 1, {
        description: 'the first saga running',
      });

      const refused = await schedule(ORDER, { prefer: 'respond-async' }, bounded.url);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe(schedulerEnv.RETRY_AFTER_SECONDS);
      expect((await bodyOf<ProblemDetails>(refused)).type).toBe(ASYNC_BACKLOG_FULL_PROBLEM);
      // A repeat of the running request adds no work: it is answered as before.
      const repeat = await schedule(ORDER, { ...key, prefer: 'respond-async' }, bounded.url);
      expect(repeat.status).toBe(202);
      expect(repeat.headers.get('location')).toBe(first.headers.get('location'));
      expect(calls('accounts')).toHaveLength(1);

      // accounts drops the hanging call: the first saga fails and gives its slot back.
      await fakes.accounts.goDown();
      await waitFor(
        async () => {
          const view = await bodyOf<DeliveryRequestView>(
            await api(first.headers.get('location') as string),
          );
          return view.state === 'failed';
        },
        { timeoutMs: 15_000, description: 'the first request failed' },
      );
      fakes.accounts.reset();
      await fakes.accounts.comeBack();
      const next = await schedule(ORDER, { prefer: 'respond-async' }, bounded.url);
      expect(next.status).toBe(202);
    } finally {
      await bounded.stop();
    }
  });

  it('cancels: cancels the delivery, frees the drone, and then refuses to reschedule it', async () => {
    const scheduled = await bodyOf<Scheduled>(await schedule());
    const path = `/api/v1/deliveries/${scheduled.deliveryId}`;

    const cancelled = await api(path, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect((await bodyOf<DeliveryView>(cancelled)).stage).toBe('Cancelled');
    expect(fakes.state.assignments.get(scheduled.deliveryId)?.status).toBe('released');
    // Retry-safe: cancelling again answers the same.
    expect((await api(path, { method: 'DELETE' })).status).toBe(200);

    const patch = await api(path, { method: 'PATCH', body: { deadline: '2099-01-01T00:00:00Z' } });
    expect(patch.status).toBe(409);
    const missing = await api(`/api/v1/deliveries/${UNKNOWN_ID}`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
  });

  describe('callers and ownership', () => {
    const PUBLIC_ROUTES = [
      { method: 'POST', path: '/api/v1/deliveries', body: ORDER },
      { method: 'GET', path: `/api/v1/delivery-requests/${UNKNOWN_ID}` },
      {
        method: 'PATCH',
        path: `/api/v1/deliveries/${UNKNOWN_ID}`,
        body: { deadline: '2099-01-01T00:00:00Z' },
      },
      { method: 'DELETE', path: `/api/v1/deliveries/${UNKNOWN_ID}` },
    ];
    const BAD_TOKENS: { token: string; authorization: () => Promise<string | null> }[] = [
      { token: 'no token', authorization: () => Promise.resolve(null) },
      {
        token: 'an expired token',
        authorization: () => issuer.bearer({ accountId: ACTIVE, expiresInSeconds: -60 }),
      },
      {
        token: 'a forged token',
        authorization: async () => `Bearer ${await issuer.forgedToken({ accountId: ACTIVE })}`,
      },
      {
        token: 'a token for another audience',
        authorization: () => issuer.bearer({ accountId: ACTIVE, audience: 'another-api' }),
      },
    ];

    it.each(PUBLIC_ROUTES.flatMap((route) => BAD_TOKENS.map((token) => ({ ...route, ...token }))))(
      'answers 401 to $method $path with $token, calling nobody',
      async (call) => {
        const response = await api(call.path, {
          method: call.method,
          body: call.body,
          authorization: await call.authorization(),
        });

        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(await bodyOf<ProblemDetails>(response)).toMatchObject({ status: 401 });
        expect(fakes.journal).toEqual([]);
      },
    );

    it('answers 403 to a token with neither an account nor the operator scope', async () => {
      const response = await schedule(ORDER, {
        authorization: await issuer.bearer({ scope: 'customer' }),
      });

      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
      expect(fakes.journal).toEqual([]);
    });

    it("schedules for the token's account when the body names none", async () => {
      const response = await schedule(WITHOUT_ACCOUNT, {
        authorization: await customer(SECOND_ACTIVE_ACCOUNT),
      });

      expect(response.status).toBe(201);
      expect(calls('accounts')[0].path).toBe(`/internal/v1/accounts/${SECOND_ACTIVE_ACCOUNT}`);
      expect(calls('package', 'PUT')[0].body).toMatchObject({ accountId: SECOND_ACTIVE_ACCOUNT });
      expect(calls('delivery', 'PUT')[0].body).toMatchObject({ accountId: SECOND_ACTIVE_ACCOUNT });
    });

    it('answers 403 when a customer names another account in the body, calling nobody', async () => {
      const response = await schedule({ ...ORDER, accountId: SECOND_ACTIVE_ACCOUNT });

      expect(response.status).toBe(403);
      expect(await bodyOf<ProblemDetails>(response)).toEqual({
        type: 'https://drone-delivery.example/problems/account-mismatch',
        title: 'You may only schedule deliveries for your own account',
        status: 403,
        detail: expect.stringContaining(ACTIVE),
      });
      expect(fakes.journal).toEqual([]);
    });

    it('lets an operator schedule for any account it names, and asks it to name one', async () => {
      const unnamed = await schedule(WITHOUT_ACCOUNT, { authorization: await operator() });
      expect(unnamed.status).toBe(400);
      expect((await bodyOf<ProblemDetails>(unnamed)).errors).toEqual([
        { field: 'accountId', message: expect.stringMatching(/operator/) },
      ]);
      expect(fakes.journal).toEqual([]);

      const named = await schedule(
        { ...ORDER, accountId: SECOND_ACTIVE_ACCOUNT },
        { authorization: await operator() },
      );
      expect(named.status).toBe(201);
      expect(calls('delivery', 'PUT')[0].body).toMatchObject({ accountId: SECOND_ACTIVE_ACCOUNT });
    });

    /** Two answers alike but for the id they name: nothing tells the ids apart. */
    async function expectSameAnswer(
      [theirs, theirId]: [Response, string],
      [unknown, unknownId]: [Response, string],
    ) {
      expect(theirs.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(theirs.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
      expect([...theirs.headers.keys()]).toEqual([...unknown.headers.keys()]);
      expect((await theirs.text()).replaceAll(theirId, '<id>')).toBe(
        (await unknown.text()).replaceAll(unknownId, '<id>'),
      );
    }

    it("answers 404 to another customer's PATCH and DELETE, as for an unknown id, and changes nothing", async () => {
      const { deliveryId } = await bodyOf<Scheduled>(await schedule());
      fakes.journal.length = 0;
      const other = await customer(SECOND_ACTIVE_ACCOUNT);

      for (const [method, body] of [
        ['PATCH', { deadline: '2099-01-01T00:00:00Z' }],
        ['DELETE', undefined],
      ] as const) {
        const theirs = await api(`/api/v1/deliveries/${deliveryId}`, {
          method,
          body,
          authorization: other,
        });
        const unknown = await api(`/api/v1/deliveries/${UNKNOWN_ID}`, {
          method,
          body,
          authorization: other,
        });
        await expectSameAnswer([theirs, deliveryId], [unknown, UNKNOWN_ID]);
      }
      // Only lookups: neither the delivery nor its drone was touched.
      expect(fakes.journal.map((call) => `${call.service} ${call.method}`)).toEqual(
        Array.from({ length: 4 }, () => 'delivery GET'),
      );
      expect(fakes.state.deliveries.get(deliveryId)?.stage).toBe('Created');
      expect(fakes.state.assignments.get(deliveryId)?.status).toBe('active');
    });

    it("lets an operator reschedule and cancel any account's delivery", async () => {
      const { deliveryId } = await bodyOf<Scheduled>(await schedule());
      const path = `/api/v1/deliveries/${deliveryId}`;
      const authorization = await operator();

      const patch = await api(path, {
        method: 'PATCH',
        body: { deadline: '2099-01-01T00:00:00Z' },
        authorization,
      });
      expect(patch.status).toBe(200);
      expect((await bodyOf<DeliveryView>(patch)).stage).toBe('Rescheduled');
      expect((await api(path, { method: 'DELETE', authorization })).status).toBe(200);
      expect(fakes.state.deliveries.get(deliveryId)?.stage).toBe('Cancelled');
    });

    it("answers 404 for another account's delivery request, as for an unknown one; an operator sees it", async () => {
      const accepted = await schedule(ORDER, { prefer: 'respond-async' });
      expect(accepted.status).toBe(202);
      const location = accepted.headers.get('location') as string;
      const requestId = location.split('/').pop() as string;
      await waitFor(
        async () => (await bodyOf<DeliveryRequestView>(await api(location))).state === 'succeeded',
        { timeoutMs: 10_000, description: 'the request succeeded' },
      );

      const other = await customer(SECOND_ACTIVE_ACCOUNT);
      await expectSameAnswer(
        [await api(location, { authorization: other }), requestId],
        [
          await api(`/api/v1/delivery-requests/${UNKNOWN_ID}`, { authorization: other }),
          UNKNOWN_ID,
        ],
      );
      const seenByOperator = await api(location, { authorization: await operator() });
      expect(seenByOperator.status).toBe(200);
      expect((await bodyOf<DeliveryRequestView>(seenByOperator)).state).toBe('succeeded');
    });

    it('keeps Idempotency-Keys per account: one key from two accounts books two deliveries', async () => {
      const key = `shared-${Date.now()}`;
      const asFirst = () => schedule(WITHOUT_ACCOUNT, { 'idempotency-key': key });
      const asSecond = async () =>
        schedule(WITHOUT_ACCOUNT, {
          'idempotency-key': key,
          authorization: await customer(SECOND_ACTIVE_ACCOUNT),
        });

      const first = await asFirst();
      const second = await asSecond();
      expect([first.status, second.status]).toEqual([201, 201]);
      const firstDelivery = await bodyOf<Scheduled>(first);
      const secondDelivery = await bodyOf<Scheduled>(second);
      expect(secondDelivery.deliveryId).not.toBe(firstDelivery.deliveryId);
      expect(calls('delivery', 'PUT').map((call) => call.body)).toEqual([
        expect.objectContaining({ accountId: ACTIVE }),
        expect.objectContaining({ accountId: SECOND_ACTIVE_ACCOUNT }),
      ]);

      // Each account's repeat replays its own answer, and books nothing more.
      const callsSoFar = fakes.journal.length;
      expect(await bodyOf<Scheduled>(await asFirst())).toEqual(firstDelivery);
      expect(await bodyOf<Scheduled>(await asSecond())).toEqual(secondDelivery);
      expect(fakes.journal).toHaveLength(callsSoFar);
    });

    it('answers 429 + Retry-After for an account over its quota, after releasing the drone and deleting the package', async () => {
      fakes.delivery.answer('PUT', {
        status: 429,
        headers: { 'retry-after': '30' },
        body: {
          type: QUOTA_EXCEEDED_PROBLEM,
          title: 'Too many deliveries in flight',
          status: 429,
          detail: `Account ${ACTIVE} already has 25 deliveries in flight.`,
          limit: 25,
          retryAfterSeconds: 30,
        },
      });
      const key = { 'idempotency-key': `quota-${Date.now()}` };
      const response = await schedule(ORDER, key);

      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(await bodyOf<ProblemDetails>(response)).toEqual({
        type: QUOTA_EXCEEDED_PROBLEM,
        title: 'Too many deliveries in flight for this account',
        status: 429,
        detail: expect.stringContaining(ACTIVE),
        retryAfterSeconds: 30,
      });
      // A refusal, not a failure: asked once, not retried.
      expect(calls('delivery', 'PUT')).toHaveLength(1);
      const packageId = packageIdOfThisTest();
      const deliveryId = calls('drone-management', 'PUT')[0].path.split('/').pop() as string;
      expect(
        fakes.journal
          .filter((call) => call.method === 'DELETE')
          .map((call) => `${call.service} ${call.path}`),
      ).toEqual([
        `drone-management /internal/v1/assignments/${deliveryId}`,
        `package /internal/v1/packages/${packageId}`,
      ]);
      expect(fakes.state.assignments.get(deliveryId)?.status).toBe('released');
      expect(fakes.state.packages.has(packageId)).toBe(false);
      expect((await sagaOfPackage(packageId)).state).toBe('failed');

      // The key is given back: once there is room, the same request with it books.
      fakes.delivery.reset();
      expect((await schedule(ORDER, key)).status).toBe(201);
    });
  });
});
