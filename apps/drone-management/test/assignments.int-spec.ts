import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  DEFAULT_SERVICE_AREA,
  type DroneView,
  type GeoPoint,
  NO_DRONE_AVAILABLE_PROBLEM,
  OUT_OF_SERVICE_AREA_PROBLEM,
  type PutAssignmentRequest,
  DRONE_MANAGEMENT_SERVICE,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import {
  createTestDatabase,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  testKafkaBrokers,
  serviceTokenEnv,
  testSigningKey,
  untrustedSigningKey,
} from '@drone-delivery/testing';
import {
  ASSIGNMENT_CONFLICT_PROBLEM,
  ASSIGNMENT_PICKED_UP_PROBLEM,
  ASSIGNMENT_RELEASED_PROBLEM,
} from '../src/assignments/assignment-problems';
import { destinationPoint, haversineKm } from '../src/geo/geo';
import { type AssignmentOrProblem, type Call, internalApi, schedulerToken } from './internal-api';

/** drone-management as a real process on its own database, called as the scheduler calls it. */

const SPEED_KMH = 60;
const LOAD_SECONDS = 60;
const RETRY_AFTER_SECONDS = 17;
const MINUTE_MS = 60_000;
const PORTLAND = { lat: 45.5152, lng: -122.6784 };

describe('drone-management assignments', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let db: Client;
  let call: Call;
  let fleet: DroneView[];

  beforeAll(async () => {
    database = await createTestDatabase('drone_management');
    service = await startServiceProcess({
      app: 'drone-management',
      env: {
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        // Drones that stay where they are, and ETAs in real minutes: assignments on their own.
        SIMULATOR_ENABLED: 'false',
        SIMULATION_TIME_SCALE: '1',
        DRONE_SPEED_KMH: String(SPEED_KMH),
        LOAD_TIME_SECONDS: String(LOAD_SECONDS),
        NO_DRONE_RETRY_AFTER_SECONDS: String(RETRY_AFTER_SECONDS),
      },
    });
    db = new Client({ connectionString: database.url });
    await db.connect();
    call = internalApi(service.url, await schedulerToken());
    fleet = (await call<DroneView[]>('GET', '/internal/v1/drones')).body;
  });

  afterAll(async () => {
    await db?.end();
    await service?.stop();
    await database?.drop();
  });

  // Every test starts with the whole fleet idle and charged.
  beforeEach(async () => {
    await db.query('DELETE FROM assignments');
    await db.query(
      `UPDATE drones SET status = 'idle', battery_percent = 100, flight_state = 'idle',
                         flight_delivery_id = NULL`,
    );
  });

  const put = (deliveryId: string, request: unknown) =>
    call<AssignmentOrProblem>('PUT', `/internal/v1/assignments/${deliveryId}`, request);
  const patch = (deliveryId: string, changes: unknown) =>
    call<AssignmentOrProblem>('PATCH', `/internal/v1/assignments/${deliveryId}`, changes);
  const release = (deliveryId: string) => call('DELETE', `/internal/v1/assignments/${deliveryId}`);
  const find = (deliveryId: string) =>
    call<AssignmentOrProblem>('GET', `/internal/v1/assignments/${deliveryId}`);
  const drones = async () => (await call<DroneView[]>('GET', '/internal/v1/drones')).body;
  const droneOf = (droneId: string) =>
    fleet.find((drone) => drone.droneId === droneId) as DroneView;
  const fieldsOf = (problem: AssignmentOrProblem) =>
    (problem.errors ?? []).map((error) => error.field).sort();

  /** The home bases, each with its drones in name order (the order ties are broken in). */
  function homeBases(): { base: GeoPoint; drones: DroneView[] }[] {
    const bases: { base: GeoPoint; drones: DroneView[] }[] = [];
    for (const drone of [...fleet].sort((a, b) => a.name.localeCompare(b.name))) {
      const known = bases.find((entry) => haversineKm(entry.base, drone.homeBase) < 0.001);
      if (known) known.drones.push(drone);
      else bases.push({ base: drone.homeBase, drones: [drone] });
    }
    return bases;
  }

  /** A short trip starting 1 km from `base`: 1 km to fly to the pickup, 3 km with the package. */
  function tripNear(base: GeoPoint, packageWeightKg = 1.5): PutAssignmentRequest {
    const pickup = destinationPoint(base, 30, 1);
    return { pickup, dropoff: destinationPoint(pickup, 30, 3), packageWeightKg };
  }

  describe('the fleet', () => {
    it('is seeded idle and charged at its home bases inside the service area', () => {
      expect(fleet).toHaveLength(10);
      expect(homeBases()).toHaveLength(3);
      for (const drone of fleet) {
        expect(drone).toMatchObject({ status: 'idle', batteryPercent: 100 });
        expect(drone.location).toEqual(drone.homeBase);
        expect(haversineKm(DEFAULT_SERVICE_AREA.center, drone.homeBase)).toBeLessThan(
          DEFAULT_SERVICE_AREA.radiusKm,
        );
        expect(drone.maxPayloadKg).toBeGreaterThanOrEqual(5);
      }
      expect(fleet.some((drone) => drone.maxPayloadKg >= 10)).toBe(true);
    });
  });

  describe('PUT (assign)', () => {
    it('assigns the nearest idle drone and plans the ETAs at cruise speed', async () => {
      for (const { base, drones: atBase } of homeBases()) {
        const deliveryId = uuidv7();
        const before = Date.now();
        const answer = await put(deliveryId, tripNear(base));
        const after = Date.now();

        expect(answer.status).toBe(201);
        expect(answer.body).toMatchObject({
          deliveryId,
          droneId: atBase[0].droneId,
          status: 'active',
          packageWeightKg: 1.5,
        });
        // 1 km at 60 km/h is a minute; then a minute of loading and 3 minutes to the dropoff.
        const pickupEta = Date.parse(answer.body.pickupEta);
        expect(pickupEta).toBeGreaterThanOrEqual(before + MINUTE_MS - 5);
        expect(pickupEta).toBeLessThanOrEqual(after + MINUTE_MS + 5);
        expect(Date.parse(answer.body.dropoffEta) - pickupEta).toBeCloseTo(4 * MINUTE_MS, -1);
      }
      const assigned = (await drones()).filter((drone) => drone.status === 'assigned');
      expect(assigned.map((drone) => drone.name).sort()).toEqual(
        homeBases().map(({ drones: atBase }) => atBase[0].name),
      );
    });

    it('takes the next nearest drone when the nearest is busy', async () => {
      const [{ base, drones: atBase }] = homeBases();
      const first = await put(uuidv7(), tripNear(base));
      const second = await put(uuidv7(), tripNear(base));
      expect(first.body.droneId).toBe(atBase[0].droneId);
      expect(second.status).toBe(201);
      expect(second.body.droneId).toBe(atBase[1].droneId);
    });

    it('skips drones that cannot carry a heavier package', async () => {
      const { base, drones: atBase } = homeBases().find(
        ({ drones: atBase }) => atBase[0].maxPayloadKg < 8,
      ) as { base: GeoPoint; drones: DroneView[] };
      const heavy = await put(uuidv7(), tripNear(base, 8));
      expect(heavy.status).toBe(201);
      const drone = droneOf(heavy.body.droneId);
      expect(drone.maxPayloadKg).toBeGreaterThanOrEqual(8);
      expect(atBase.map((candidate) => candidate.droneId)).toContain(drone.droneId);
      // A light package there gets the nearest drone the heavy one could not use.
      const light = await put(uuidv7(), tripNear(base, 1));
      expect(light.body.droneId).toBe(atBase[0].droneId);
    });

    it('skips drones without the battery to fly the whole trip and back to base', async () => {
      const [{ base, drones: atBase }] = homeBases();
      // 10 % of 60 km is 6 km: less than 1 km out, 3 km with the package and about 4 km home.
      await db.query('UPDATE drones SET battery_percent = 10 WHERE id = ANY($1::uuid[])', [
        atBase.map((drone) => drone.droneId),
      ]);
      const answer = await put(uuidv7(), tripNear(base));
      expect(answer.status).toBe(201);
      expect(atBase.map((drone) => drone.droneId)).not.toContain(answer.body.droneId);
    });

    it('answers 409 no drone available with Retry-After when no drone can take it', async () => {
      const tooHeavy = await put(uuidv7(), tripNear(homeBases()[0].base, 25));
      expect(tooHeavy.status).toBe(409);
      expect(tooHeavy.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(tooHeavy.body).toMatchObject({
        type: NO_DRONE_AVAILABLE_PROBLEM,
        status: 409,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      });
      expect(tooHeavy.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));

      await db.query('UPDATE drones SET battery_percent = 5');
      const flat = await put(uuidv7(), tripNear(homeBases()[0].base));
      expect(flat.status).toBe(409);
      expect(flat.body.type).toBe(NO_DRONE_AVAILABLE_PROBLEM);
      expect((await drones()).every((drone) => drone.status === 'idle')).toBe(true);
    });

    it('plans the pickup no earlier than the requested pickup time', async () => {
      const pickupTime = new Date(Date.now() + 2 * 60 * MINUTE_MS);
      const answer = await put(uuidv7(), {
        ...tripNear(homeBases()[0].base),
        pickupTime: pickupTime.toISOString(),
      });
      expect(answer.status).toBe(201);
      expect(answer.body.pickupEta).toBe(pickupTime.toISOString());
      expect(Date.parse(answer.body.dropoffEta) - pickupTime.getTime()).toBeCloseTo(
        4 * MINUTE_MS,
        -1,
      );
    });

    it('rejects a pickup or dropoff outside the service area with 422, naming them', async () => {
      const inside = tripNear(homeBases()[0].base);
      const deliveryId = uuidv7();
      const pickupOut = await put(deliveryId, { ...inside, pickup: PORTLAND });
      expect(pickupOut.status).toBe(422);
      expect(pickupOut.body.type).toBe(OUT_OF_SERVICE_AREA_PROBLEM);
      expect(fieldsOf(pickupOut.body)).toEqual(['pickup']);

      const bothOut = await put(deliveryId, { ...inside, pickup: PORTLAND, dropoff: PORTLAND });
      expect(fieldsOf(bothOut.body)).toEqual(['dropoff', 'pickup']);

      const justOutside = destinationPoint(DEFAULT_SERVICE_AREA.center, 90, 25.2);
      const dropoffOut = await put(deliveryId, { ...inside, dropoff: justOutside });
      expect(dropoffOut.status).toBe(422);
      expect(fieldsOf(dropoffOut.body)).toEqual(['dropoff']);

      expect((await find(deliveryId)).status).toBe(404);
      expect((await drones()).every((drone) => drone.status === 'idle')).toBe(true);
    });

    it('rejects invalid requests with 400 listing the fields', async () => {
      const valid = tripNear(homeBases()[0].base);
      const cases: [unknown, string[]][] = [
        [{ ...valid, pickup: { lat: 90.5, lng: 0 } }, ['pickup.lat']],
        [{ ...valid, dropoff: { lat: 0, lng: -180.5 } }, ['dropoff.lng']],
        [{ ...valid, packageWeightKg: 0 }, ['packageWeightKg']],
        [{ ...valid, packageWeightKg: -2 }, ['packageWeightKg']],
        [{ ...valid, pickupTime: 'tomorrow' }, ['pickupTime']],
        [{ pickup: valid.pickup, packageWeightKg: 1 }, ['dropoff']],
        [{ ...valid, colour: 'red' }, ['colour']],
      ];
      for (const [body, fields] of cases) {
        const answer = await put(uuidv7(), body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(fieldsOf(answer.body)).toEqual(expect.arrayContaining(fields));
      }
      expect((await put('not-a-uuid', valid)).status).toBe(400);
      expect((await drones()).every((drone) => drone.status === 'idle')).toBe(true);
    });

    it('is idempotent: the same PUT again answers 200 with the same drone', async () => {
      const deliveryId = uuidv7();
      const request = tripNear(homeBases()[1].base);
      const created = await put(deliveryId, request);
      const retried = await put(deliveryId, request);

      expect(created.status).toBe(201);
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual(created.body);
      expect((await find(deliveryId)).body).toEqual(created.body);
      const assigned = (await drones()).filter((drone) => drone.status === 'assigned');
      expect(assigned.map((drone) => drone.droneId)).toEqual([created.body.droneId]);
    });

    it('takes one drone when the same PUT arrives several times at once', async () => {
      const deliveryId = uuidv7();
      const request = tripNear(homeBases()[2].base);
      const answers = await Promise.all(Array.from({ length: 6 }, () => put(deliveryId, request)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((answer) => answer.body.droneId)).size).toBe(1);
      expect((await drones()).filter((drone) => drone.status === 'assigned')).toHaveLength(1);
    });

    it('answers 409 when the delivery already has a drone for another route', async () => {
      const deliveryId = uuidv7();
      const request = tripNear(homeBases()[0].base);
      expect((await put(deliveryId, request)).status).toBe(201);
      const other = await put(deliveryId, { ...request, packageWeightKg: 2 });
      expect(other.status).toBe(409);
      expect(other.body.type).toBe(ASSIGNMENT_CONFLICT_PROBLEM);
      expect((await drones()).filter((drone) => drone.status === 'assigned')).toHaveLength(1);
    });
  });

  describe('DELETE (release)', () => {
    it('frees the drone, which the next delivery can then take', async () => {
      const [{ base, drones: atBase }] = homeBases();
      const first = uuidv7();
      expect((await put(first, tripNear(base))).body.droneId).toBe(atBase[0].droneId);

      const released = await release(first);
      expect(released.status).toBe(204);
      expect((await find(first)).body).toMatchObject({ status: 'released' });
      expect((await drones()).every((drone) => drone.status === 'idle')).toBe(true);

      const next = await put(uuidv7(), tripNear(base));
      expect(next.status).toBe(201);
      expect(next.body.droneId).toBe(atBase[0].droneId);
      // Releasing again is a retried compensation: done already, and it frees nothing else.
      expect((await release(first)).status).toBe(204);
      expect((await drones()).filter((drone) => drone.status === 'assigned')).toHaveLength(1);
    });

    it('does not assign a released delivery again', async () => {
      const deliveryId = uuidv7();
      const request = tripNear(homeBases()[0].base);
      await put(deliveryId, request);
      await release(deliveryId);
      const again = await put(deliveryId, request);
      expect(again.status).toBe(409);
      expect(again.body.type).toBe(ASSIGNMENT_RELEASED_PROBLEM);
      expect((await drones()).every((drone) => drone.status === 'idle')).toBe(true);
    });

    it('answers 204 for an unknown delivery, and a late PUT for it takes no drone', async () => {
      const deliveryId = uuidv7();
      expect((await release(deliveryId)).status).toBe(204);
      expect((await find(deliveryId)).status).toBe(404);

      const late = await put(deliveryId, tripNear(homeBases()[0].base));
      expect(late.status).toBe(409);
      expect(late.body.type).toBe(ASSIGNMENT_RELEASED_PROBLEM);
      expect((await drones()).every((drone) => drone.status === 'idle')).toBe(true);
    });
  });

  describe('PATCH (re-plan)', () => {
    const pickupTime = () => new Date(Date.now() + 2 * 60 * MINUTE_MS);

    it('re-plans the ETAs for a new dropoff and a new pickup time, with the same drone', async () => {
      const deliveryId = uuidv7();
      const request = tripNear(homeBases()[0].base);
      const wanted = pickupTime();
      const created = await put(deliveryId, { ...request, pickupTime: wanted.toISOString() });
      expect(Date.parse(created.body.dropoffEta) - wanted.getTime()).toBeCloseTo(4 * MINUTE_MS, -1);

      // 10 km from the pickup: ten minutes' flight after the minute of loading.
      const dropoff = destinationPoint(request.pickup, 180, 10);
      const moved = await patch(deliveryId, { dropoff });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({
        droneId: created.body.droneId,
        status: 'active',
        pickupEta: wanted.toISOString(),
      });
      expect(moved.body.dropoff.lat).toBeCloseTo(dropoff.lat, 9);
      expect(Date.parse(moved.body.dropoffEta) - wanted.getTime()).toBeCloseTo(11 * MINUTE_MS, -1);

      const later = new Date(wanted.getTime() + 60 * MINUTE_MS);
      const delayed = await patch(deliveryId, { pickupTime: later.toISOString() });
      expect(delayed.status).toBe(200);
      expect(delayed.body.pickupEta).toBe(later.toISOString());
      expect(Date.parse(delayed.body.dropoffEta) - later.getTime()).toBeCloseTo(11 * MINUTE_MS, -1);
      expect(delayed.body.dropoff).toEqual(moved.body.dropoff);
      expect((await find(deliveryId)).body).toEqual(delayed.body);
    });

    it('re-plans until the drone picks the package up, then answers 409 and keeps its target', async () => {
      const deliveryId = uuidv7();
      const request = tripNear(homeBases()[0].base);
      const { droneId } = (await put(deliveryId, request)).body;
      const flightState = (state: string) =>
        db.query('UPDATE drones SET flight_state = $2 WHERE id = $1', [droneId, state]);

      // At the pickup, loading: the package is not on board yet.
      await flightState('loading');
      const nearer = { dropoff: destinationPoint(request.pickup, 90, 2) };
      const moved = await patch(deliveryId, nearer);
      expect(moved.status).toBe(200);
      expect(moved.body.dropoff.lat).toBeCloseTo(nearer.dropoff.lat, 9);

      await flightState('flying-to-dropoff');
      for (const change of [
        { dropoff: destinationPoint(request.pickup, 180, 2) },
        { pickupTime: pickupTime().toISOString() },
      ]) {
        const refused = await patch(deliveryId, change);
        expect(refused.status).toBe(409);
        expect(refused.body.type).toBe(ASSIGNMENT_PICKED_UP_PROBLEM);
      }
      expect((await find(deliveryId)).body).toEqual(moved.body);
      // The re-plan made before pickup, sent again (a retry), is answered with that plan.
      const retried = await patch(deliveryId, nearer);
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual(moved.body);
    });

    it('answers 422 for a dropoff outside the service area and changes nothing', async () => {
      const deliveryId = uuidv7();
      const created = await put(deliveryId, tripNear(homeBases()[0].base));
      const answer = await patch(deliveryId, { dropoff: PORTLAND });
      expect(answer.status).toBe(422);
      expect(answer.body.type).toBe(OUT_OF_SERVICE_AREA_PROBLEM);
      expect(fieldsOf(answer.body)).toEqual(['dropoff']);
      expect((await find(deliveryId)).body).toEqual(created.body);
    });

    it('answers 409 when the drone lacks the battery for the new route', async () => {
      const deliveryId = uuidv7();
      const request = tripNear(homeBases()[0].base);
      const created = await put(deliveryId, request);
      await db.query('UPDATE drones SET battery_percent = 20 WHERE id = $1', [
        created.body.droneId,
      ]);
      const far = destinationPoint(DEFAULT_SERVICE_AREA.center, 180, 24);
      const answer = await patch(deliveryId, { dropoff: far });
      expect(answer.status).toBe(409);
      expect(answer.body.type).toBe(NO_DRONE_AVAILABLE_PROBLEM);
      expect((await find(deliveryId)).body).toEqual(created.body);
    });

    it('answers 404 for an unknown delivery and 409 for a released one', async () => {
      expect((await patch(uuidv7(), { pickupTime: pickupTime().toISOString() })).status).toBe(404);
      const deliveryId = uuidv7();
      await put(deliveryId, tripNear(homeBases()[0].base));
      await release(deliveryId);
      const answer = await patch(deliveryId, { pickupTime: pickupTime().toISOString() });
      expect(answer.status).toBe(409);
      expect(answer.body.type).toBe(ASSIGNMENT_RELEASED_PROBLEM);
    });

    it('rejects invalid changes with 400', async () => {
      const deliveryId = uuidv7();
      await put(deliveryId, tripNear(homeBases()[0].base));
      expect((await patch(deliveryId, { dropoff: { lat: 100, lng: 0 } })).status).toBe(400);
      expect((await patch(deliveryId, { packageWeightKg: 3 })).status).toBe(400);
      expect((await patch('not-a-uuid', {})).status).toBe(400);
    });
  });

  describe('GET', () => {
    it('answers 404 for an unknown delivery and 400 for an id that is not a UUID', async () => {
      expect((await find(uuidv7())).status).toBe(404);
      expect((await find('42')).status).toBe(400);
    });
  });

  describe('service tokens', () => {
    const routes: [string, string][] = [
      ['GET', '/internal/v1/drones'],
      ['GET', `/internal/v1/assignments/${uuidv7()}`],
      ['DELETE', `/internal/v1/assignments/${uuidv7()}`],
    ];

    it('refuse a call without a token, or with a forged or expired one, with 401', async () => {
      const forged = await schedulerToken(DRONE_MANAGEMENT_SERVICE, untrustedSigningKey());
      const expired = await new ServiceTokens({
        serviceName: 'scheduler',
        signingKey: testSigningKey(),
        ttlSeconds: -60,
      }).tokenFor('drone-management');
      for (const [method, path] of routes) {
        for (const bearer of [null, forged, expired]) {
          expect((await call(method, path, undefined, bearer)).status).toBe(401);
        }
      }
      const assign = await call(
        'PUT',
        `/internal/v1/assignments/${uuidv7()}`,
        tripNear(homeBases()[0].base),
        null,
      );
      expect(assign.status).toBe(401);
      expect((await drones()).every((drone) => drone.status === 'idle')).toBe(true);
    });

    it('refuse a token addressed to another service with 403', async () => {
      const forPackage = await schedulerToken('package');
      for (const [method, path] of routes) {
        expect((await call(method, path, undefined, forPackage)).status).toBe(403);
      }
      const assign = await call(
        'PUT',
        `/internal/v1/assignments/${uuidv7()}`,
        tripNear(homeBases()[0].base),
        forPackage,
      );
      expect(assign.status).toBe(403);
    });
  });
});
