import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  type AssignmentView,
  type DroneFlightState,
  type DroneTelemetryEvent,
  type DroneView,
  type GeoPoint,
  parseDroneTelemetry,
  TOPICS,
} from '@drone-delivery/contracts';
import { ensureTopicsWithDeadLetters, kafkaTransportOptions } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  testKafkaBrokers,
  uniqueGroupId,
  waitFor,
  serviceTokenEnv,
} from '@drone-delivery/testing';
import {
  ASSIGNMENT_COMPLETED_PROBLEM,
  ASSIGNMENT_PICKED_UP_PROBLEM,
} from '../src/assignments/assignment-problems';
import { destinationPoint, haversineKm } from '../src/geo/geo';
import { type AssignmentOrProblem, type Call, internalApi, schedulerToken } from './internal-api';

/**
 * The flight simulator end to end: drone-management as a real process on its own database, flying
 * 200 times faster than real time, and its telemetry read back from Kafka as delivery reads it.
 */

const EVERY_STATE: DroneFlightState[] = [
  'flying-to-pickup',
  'loading',
  'flying-to-dropoff',
  'unloading',
  'returning',
  'charging',
  'idle',
];
/** Closer than this to a stop, the drone is there (a metre). */
const THERE_KM = 0.001;

// Seeded drones have the same ids in every database, and other runs may fly them on the shared
// topic: a service area of this run's own, somewhere nobody else flies, tells its reports apart.
const CENTER: GeoPoint = { lat: -30 + Math.random() * 20, lng: -140 + Math.random() * 20 };

/** Every message seen on the topic that reports a drone of this run's service area. */
const seen: { event: DroneTelemetryEvent; raw: unknown }[] = [];

@Controller()
class TelemetryCollector {
  @EventPattern<string>(TOPICS.droneTelemetry.name)
  collect(@Payload() message: unknown): void {
    const event = message as DroneTelemetryEvent;
    const location = event?.data?.location;
    if (location && haversineKm(location, CENTER) < 50) seen.push({ event, raw: message });
  }
}

@Module({ controllers: [TelemetryCollector] })
class TelemetryCollectorModule {}

describe('drone-management flight simulator', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let consumer: INestMicroservice;
  let db: Client;
  let call: Call;

  const env = () => ({
    DATABASE_URL: database.url,
    ...serviceTokenEnv(),
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    SIMULATION_TIME_SCALE: '200',
    SIMULATOR_TICK_MS: '100',
    TELEMETRY_INTERVAL_MS: '200',
    SERVICE_AREA_CENTER_LAT: String(CENTER.lat),
    SERVICE_AREA_CENTER_LNG: String(CENTER.lng),
    // One base at the centre: the nearest free drone is always the first by name.
    HOME_BASES: '1',
    FLEET_SIZE: '3',
    DRONE_MAX_RANGE_KM: '200',
  });

  async function startService(): Promise<void> {
    service = await startServiceProcess({ app: 'drone-management', env: env() });
    call = internalApi(service.url, await schedulerToken());
  }

  beforeAll(async () => {
    database = await createTestDatabase('drone_management_flights');
    db = new Client({ connectionString: database.url });
    await db.connect();
    // The service creates it too, but the collector subscribes first (alone in a run, it is new).
    await ensureTopicsWithDeadLetters(testKafkaBrokers(), [
      { topic: TOPICS.droneTelemetry.name, numPartitions: TOPICS.droneTelemetry.partitions },
    ]);
    const moduleRef = await Test.createTestingModule({
      imports: [TelemetryCollectorModule],
    }).compile();
    consumer = moduleRef.createNestMicroservice({
      ...kafkaTransportOptions({
        clientId: 'flight-simulator-spec',
        brokers: testKafkaBrokers(),
        groupId: uniqueGroupId('flight-simulator-spec'),
      }),
      logger: false,
    });
    await consumer.listen();
    await startService();
  });

  afterAll(async () => {
    await service?.stop();
    await consumer?.close();
    await db?.end();
    await database?.drop();
  });

  const put = (deliveryId: string, request: unknown) =>
    call<AssignmentOrProblem>('PUT', `/internal/v1/assignments/${deliveryId}`, request);
  const patch = (deliveryId: string, changes: unknown) =>
    call<AssignmentOrProblem>('PATCH', `/internal/v1/assignments/${deliveryId}`, changes);
  const release = (deliveryId: string) => call('DELETE', `/internal/v1/assignments/${deliveryId}`);
  const find = (deliveryId: string) =>
    call<AssignmentOrProblem>('GET', `/internal/v1/assignments/${deliveryId}`);
  const droneOf = async (droneId: string) =>
    (await call<DroneView[]>('GET', '/internal/v1/drones')).body.find(
      (drone) => drone.droneId === droneId,
    ) as DroneView;

  /** The drone's reports about moments from `since` on, in the order they arrived. */
  const reportsOf = (droneId: string, since: number) =>
    seen.filter(({ event }) => event.subject === droneId && Date.parse(event.time) >= since);

  const waitForReport = (
    droneId: string,
    since: number,
    matches: (event: DroneTelemetryEvent) => boolean,
    description: string,
  ) =>
    waitFor(() => reportsOf(droneId, since).find(({ event }) => matches(event))?.event, {
      timeoutMs: 30_000,
      intervalMs: 20,
      description,
    });

  /** The states in the order they were reported, each once. */
  const statesIn = (events: DroneTelemetryEvent[]) =>
    events
      .map((event) => event.data.state)
      .filter((state, index, states) => index === 0 || state !== states[index - 1]);

  const distancesTo = (events: DroneTelemetryEvent[], state: DroneFlightState, target: GeoPoint) =>
    events
      .filter((event) => event.data.state === state)
      .map((event) => haversineKm(event.data.location, target));

  const isDecreasing = (values: number[]) =>
    values.every((value, index) => index === 0 || value < values[index - 1]);
  const isIncreasing = (values: number[]) => isDecreasing(values.map((value) => -value));

  /** Asks for a drone, and waits until that drone has flown the whole way to idle. */
  async function flyDelivery(
    trip: { pickup: GeoPoint; dropoff: GeoPoint },
    duringFlight?: (assigned: AssignmentView) => Promise<void>,
  ) {
    const since = Date.now();
    const deliveryId = uuidv7();
    const answer = await put(deliveryId, { ...trip, packageWeightKg: 1 });
    expect(answer.status).toBe(201);
    const assigned: AssignmentView = answer.body;
    await duringFlight?.(assigned);
    await waitForReport(
      assigned.droneId,
      since,
      (event) => event.data.state === 'idle',
      `drone ${assigned.droneId} idle again`,
    );
    const received = reportsOf(assigned.droneId, since);
    return { deliveryId, assigned, received, events: received.map(({ event }) => event) };
  }

  function expectValidReportsInSequence(
    received: { event: DroneTelemetryEvent; raw: unknown }[],
    droneId: string,
  ) {
    for (const { raw } of received) {
      expect(parseDroneTelemetry(raw)).toMatchObject({
        source: '/drone-management',
        subject: droneId,
        data: { droneId },
      });
    }
    expect(isIncreasing(received.map(({ event }) => event.sequence))).toBe(true);
  }

  it('has every drone of a fresh fleet report once before it ever flies, so the fleet shows whole', async () => {
    const fleet = (await call<DroneView[]>('GET', '/internal/v1/drones')).body.map(
      (drone) => drone.droneId,
    );
    expect(fleet).toHaveLength(3);
    // Well before the 30 s idle interval would make them: a seeded drone owes its first report.
    const reported = await waitFor(
      () => {
        const idle = new Set(
          seen
            .filter(({ event }) => fleet.includes(event.subject) && event.data.state === 'idle')
            .map(({ event }) => event.subject),
        );
        return idle.size === fleet.length ? idle : undefined;
      },
      { timeoutMs: 15_000, description: 'an idle report of each drone' },
    );
    expect([...reported].sort()).toEqual([...fleet].sort());
  });

  it('flies a delivery to the pickup, the dropoff and home, reporting every state in order', async () => {
    const pickup = destinationPoint(CENTER, 90, 5);
    const dropoff = destinationPoint(pickup, 0, 6);
    const { deliveryId, assigned, received, events } = await flyDelivery({ pickup, dropoff });
    const droneId = assigned.droneId;

    expectValidReportsInSequence(received, droneId);
    expect(statesIn(events)).toEqual(EVERY_STATE);

    const toPickup = distancesTo(events, 'flying-to-pickup', pickup);
    expect(toPickup.length).toBeGreaterThanOrEqual(2);
    expect(isDecreasing(toPickup)).toBe(true);
    const toDropoff = distancesTo(events, 'flying-to-dropoff', dropoff);
    expect(toDropoff.length).toBeGreaterThanOrEqual(2);
    expect(isDecreasing(toDropoff)).toBe(true);
    const first = (state: DroneFlightState) =>
      events.find((event) => event.data.state === state) as DroneTelemetryEvent;
    expect(haversineKm(first('loading').data.location, pickup)).toBeLessThan(THERE_KM);
    expect(haversineKm(first('unloading').data.location, dropoff)).toBeLessThan(THERE_KM);
    expect(haversineKm(first('idle').data.location, CENTER)).toBeLessThan(THERE_KM);

    // The drone is at each stop when its assignment said it would be.
    expect(Date.parse(first('loading').time)).toBeCloseTo(Date.parse(assigned.pickupEta), -1);
    expect(Date.parse(first('unloading').time)).toBeCloseTo(Date.parse(assigned.dropoffEta), -1);
    for (const event of events.filter((report) => report.data.state === 'flying-to-pickup')) {
      expect(Date.parse(event.data.pickupEta as string)).toBeCloseTo(
        Date.parse(assigned.pickupEta),
        -1,
      );
      expect(Date.parse(event.data.dropoffEta as string)).toBeCloseTo(
        Date.parse(assigned.dropoffEta),
        -1,
      );
    }

    // Named in every report until the drone is idle; the battery drains in the air, then refills.
    const flying = events.filter((event) => event.data.state !== 'idle');
    expect(flying.every((event) => event.data.deliveryId === deliveryId)).toBe(true);
    expect(first('idle').data.deliveryId).toBeNull();
    // From the unloading on, until idle at home, the reports say the delivery was completed.
    const delivered = events.slice(events.indexOf(first('returning')));
    expect(delivered.every((event) => event.data.completedDeliveryId === deliveryId)).toBe(true);
    expect(events.filter((event) => event.data.completedDeliveryId)).toHaveLength(delivered.length);
    const batteries = events.map((event) => event.data.batteryPercent);
    const landed = first('charging').data.batteryPercent;
    expect(landed).toBeLessThan(100);
    expect(Math.min(...batteries)).toBe(landed);
    expect(first('idle').data.batteryPercent).toBe(100);

    expect((await find(deliveryId)).body.status).toBe('completed');
    const drone = await droneOf(droneId);
    expect(drone).toMatchObject({ status: 'idle', batteryPercent: 100 });
    expect(haversineKm(drone.location, drone.homeBase)).toBeLessThan(THERE_KM);
  });

  it('keeps a completed assignment as it is, and books its drone again', async () => {
    const pickup = destinationPoint(CENTER, 45, 2);
    const trip = { pickup, dropoff: destinationPoint(pickup, 45, 2) };
    const { deliveryId, assigned } = await flyDelivery(trip);

    expect((await put(deliveryId, { ...trip, packageWeightKg: 1 })).body).toEqual({
      ...assigned,
      status: 'completed',
    });
    const replan = await patch(deliveryId, { dropoff: destinationPoint(pickup, 0, 1) });
    expect(replan.status).toBe(409);
    expect(replan.body.type).toBe(ASSIGNMENT_COMPLETED_PROBLEM);
    expect((await release(deliveryId)).status).toBe(204);
    expect((await find(deliveryId)).body.status).toBe('completed');

    const next = await put(uuidv7(), { ...trip, packageWeightKg: 1 });
    expect(next.status).toBe(201);
    expect(next.body.droneId).toBe(assigned.droneId);
    const since = Date.now();
    expect((await release(next.body.deliveryId)).status).toBe(204);
    await waitForReport(
      assigned.droneId,
      since,
      (event) => event.data.state === 'idle',
      'the released drone idle again',
    );
  });

  it('re-targets a drone on its way to the pickup when the dropoff moves, not once it has the package', async () => {
    const pickup = destinationPoint(CENTER, 180, 2);
    const oldDropoff = destinationPoint(pickup, 270, 10);
    const newDropoff = destinationPoint(pickup, 90, 4);
    let replanned: AssignmentView | undefined;
    let replannedAt = 0;

    const { events } = await flyDelivery({ pickup, dropoff: oldDropoff }, async (assigned) => {
      const answer = await patch(assigned.deliveryId, { dropoff: newDropoff });
      replannedAt = Date.now();
      expect(answer.status).toBe(200);
      replanned = answer.body;
      await waitForReport(
        assigned.droneId,
        Date.parse(assigned.pickupEta),
        (event) => event.data.state === 'flying-to-dropoff',
        'the drone on its way to the dropoff',
      );
      const late = await patch(assigned.deliveryId, { dropoff: oldDropoff });
      expect(late.status).toBe(409);
      expect(late.body.type).toBe(ASSIGNMENT_PICKED_UP_PROBLEM);
    });

    expect(statesIn(events)).toEqual(EVERY_STATE);
    const planned = replanned as AssignmentView;
    expect(haversineKm(planned.dropoff, newDropoff)).toBeLessThan(THERE_KM);
    const unloading = events.find((event) => event.data.state === 'unloading');
    expect(haversineKm(unloading!.data.location, newDropoff)).toBeLessThan(THERE_KM);
    expect(Date.parse(unloading!.time)).toBeCloseTo(Date.parse(planned.dropoffEta), -2);
    // After the re-plan it closes in on the new dropoff, with the new ETA.
    const afterReplan = events.filter((event) => Date.parse(event.time) > replannedAt);
    const toNewDropoff = distancesTo(afterReplan, 'flying-to-dropoff', newDropoff);
    expect(toNewDropoff.length).toBeGreaterThanOrEqual(2);
    expect(isDecreasing(toNewDropoff)).toBe(true);
    for (const event of afterReplan.filter((report) => report.data.dropoffEta)) {
      expect(Date.parse(event.data.dropoffEta as string)).toBeCloseTo(
        Date.parse(planned.dropoffEta),
        -1,
      );
    }
  });

  it('sends a drone home, flying for nobody, when its delivery is cancelled on the way', async () => {
    const pickup = destinationPoint(CENTER, 0, 8);
    const { deliveryId, assigned, events } = await flyDelivery(
      { pickup, dropoff: destinationPoint(pickup, 90, 3) },
      async (flying) => {
        await waitForReport(
          flying.droneId,
          0,
          (event) =>
            event.data.deliveryId === flying.deliveryId &&
            haversineKm(event.data.location, CENTER) > 3,
          'the drone well on its way to the pickup',
        );
        expect((await release(flying.deliveryId)).status).toBe(204);
      },
    );

    expect(statesIn(events)).toEqual(['flying-to-pickup', 'returning', 'charging', 'idle']);
    const turned = events.findIndex((event) => event.data.state === 'returning');
    expect(events.slice(turned).every((event) => event.data.deliveryId === null)).toBe(true);
    expect(events.some((event) => event.data.completedDeliveryId !== undefined)).toBe(false);
    const toHome = distancesTo(events, 'returning', CENTER);
    expect(toHome[0]).toBeGreaterThan(1);
    expect(isDecreasing(toHome)).toBe(true);
    expect((await find(deliveryId)).body.status).toBe('released');
    const drone = await droneOf(assigned.droneId);
    expect(drone).toMatchObject({ status: 'idle', batteryPercent: 100 });
    expect(haversineKm(drone.location, drone.homeBase)).toBeLessThan(THERE_KM);
  });

  it('continues a flight across a restart, counting its reports on', async () => {
    const pickup = destinationPoint(CENTER, 270, 10);
    let lastBeforeRestart: DroneTelemetryEvent | undefined;
    const { deliveryId, assigned, received, events } = await flyDelivery(
      { pickup, dropoff: destinationPoint(pickup, 0, 15) },
      async (flying) => {
        await waitForReport(
          flying.droneId,
          0,
          (event) =>
            event.data.deliveryId === flying.deliveryId &&
            haversineKm(event.data.location, CENTER) > 1,
          'the drone on its way to the pickup',
        );
        await service.stop();
        // What the stopped service last reported, as it stored it.
        const { rows } = await db.query<{ sequence: number }>(
          'SELECT telemetry_sequence::int AS sequence FROM drones WHERE id = $1',
          [flying.droneId],
        );
        const [{ sequence }] = rows;
        lastBeforeRestart = await waitForReport(
          flying.droneId,
          0,
          (event) => event.sequence === sequence,
          `report ${sequence} of the stopped service`,
        );
        await startService();
      },
    );

    expectValidReportsInSequence(received, assigned.droneId);
    expect(statesIn(events)).toEqual(EVERY_STATE);
    const before = lastBeforeRestart as DroneTelemetryEvent;
    const afterRestart = events.filter((event) => event.sequence > before.sequence);
    expect(afterRestart.length).toBeGreaterThan(0);
    // The first report of the new process picks up where the old one left off.
    const [resumed] = afterRestart;
    const stage = (event: DroneTelemetryEvent) => EVERY_STATE.indexOf(event.data.state);
    expect(stage(resumed)).toBeGreaterThanOrEqual(stage(before));
    if (resumed.data.state === 'flying-to-pickup') {
      expect(haversineKm(resumed.data.location, pickup)).toBeLessThan(
        haversineKm(before.data.location, pickup),
      );
    }
    expect((await find(deliveryId)).body.status).toBe('completed');
  });

  it('reports an idle drone now and then, naming the delivery it completed last', async () => {
    const pickup = destinationPoint(CENTER, 180, 3);
    const { deliveryId, assigned, events } = await flyDelivery({
      pickup,
      dropoff: destinationPoint(pickup, 90, 3),
    });
    const lastOfFlight = Math.max(...events.map((event) => event.sequence));
    // Again with a short idle interval: had a report of that flight been lost (a crash with
    // reports unsent), the next idle report would still tell delivery that it was delivered.
    await service.stop();
    service = await startServiceProcess({
      app: 'drone-management',
      env: { ...env(), IDLE_TELEMETRY_INTERVAL_MS: '300' },
    });
    call = internalApi(service.url, await schedulerToken());
    // By sequence: an idle drone's report is about where it has stood since it landed.
    const later = () =>
      seen.filter(
        ({ event }) => event.subject === assigned.droneId && event.sequence > lastOfFlight,
      );

    const repeated = await waitFor(
      () => {
        const idle = later().filter(
          ({ event }) =>
            event.data.state === 'idle' && event.data.completedDeliveryId === deliveryId,
        );
        return idle.length >= 2 ? idle : undefined;
      },
      { timeoutMs: 30_000, description: 'two idle reports naming the delivery' },
    );
    expect(repeated.every(({ event }) => event.data.deliveryId === null)).toBe(true);
    expectValidReportsInSequence(later(), assigned.droneId);
  });
});
