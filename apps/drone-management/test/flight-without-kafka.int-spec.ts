import { Logger } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DRONE_MANAGEMENT_SERVICE, type DroneView } from '@drone-delivery/contracts';
import { runMigrations } from '@drone-delivery/persistence';
import { createServiceApp } from '@drone-delivery/service-defaults';
import {
  createTestDatabase,
  freePort,
  type TestDatabase,
  waitFor,
  serviceTokenEnv,
} from '@drone-delivery/testing';
import { AppModule } from '../src/app.module';
import { loadDroneManagementConfig } from '../src/config/drone-management.config';
import { destinationPoint, haversineKm } from '../src/geo/geo';
import { type AssignmentOrProblem, type Call, internalApi, schedulerToken } from './internal-api';

/**
 * Kafka is gone (nothing listens at KAFKA_BROKERS): the drones fly their deliveries all the same,
 * the service keeps answering, and the telemetry it cannot send is held and retried, with a
 * warning. The app runs in this process, without main.ts, whose start-up would insist on creating
 * the topic.
 */

const CENTER = { lat: 47.6062, lng: -122.3321 };

describe('drone-management flights while Kafka is down', () => {
  let database: TestDatabase;
  let app: NestExpressApplication;
  let call: Call;
  const warnings = jest.spyOn(Logger.prototype, 'warn');

  beforeAll(async () => {
    database = await createTestDatabase('drone_management_no_kafka');
    const config = loadDroneManagementConfig({
      DATABASE_URL: database.url,
      ...serviceTokenEnv(),
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      LOG_LEVEL: 'error',
      SIMULATION_TIME_SCALE: '200',
      SIMULATOR_TICK_MS: '100',
      TELEMETRY_INTERVAL_MS: '200',
      HOME_BASES: '1',
      FLEET_SIZE: '2',
    });
    app = await createServiceApp(AppModule.register(config), {
      serviceName: DRONE_MANAGEMENT_SERVICE,
      description: 'drone-management without Kafka',
      logLevel: 'error',
    });
    await runMigrations(app.get(DataSource));
    await app.listen(0, '127.0.0.1');
    call = internalApi(await app.getUrl(), await schedulerToken());
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    warnings.mockRestore();
  });

  it('completes a delivery flight and brings the drone home, warning that telemetry waits', async () => {
    const deliveryId = uuidv7();
    const pickup = destinationPoint(CENTER, 90, 2);
    // Right after start the simulator's first tick holds every drone's row (each owes its first
    // report) and assignment skips locked drones: a 409 "no drone available" with Retry-After,
    // which the scheduler's client retries. So does this test, until the tick has committed.
    const assigned = await waitFor(
      async () => {
        const answer = await call<AssignmentOrProblem>(
          'PUT',
          `/internal/v1/assignments/${deliveryId}`,
          { pickup, dropoff: destinationPoint(pickup, 0, 3), packageWeightKg: 1 },
        );
        return answer.status === 409 ? undefined : answer;
      },
      { timeoutMs: 10_000, intervalMs: 200, description: 'a drone free to assign' },
    );
    expect(assigned.status).toBe(201);

    await waitFor(
      async () =>
        (await call<AssignmentOrProblem>('GET', `/internal/v1/assignments/${deliveryId}`)).body
          .status === 'completed',
      { timeoutMs: 20_000, description: 'the assignment completed' },
    );
    const drone = await waitFor(
      async () =>
        (await call<DroneView[]>('GET', '/internal/v1/drones')).body.find(
          (candidate) => candidate.droneId === assigned.body.droneId && candidate.status === 'idle',
        ),
      { timeoutMs: 20_000, description: 'the drone idle again' },
    );
    expect(drone.batteryPercent).toBe(100);
    expect(haversineKm(drone.location, drone.homeBase)).toBeLessThan(0.001);

    await waitFor(
      () =>
        warnings.mock.calls.some(([message]) =>
          String(message).includes('Telemetry not sent, retrying'),
        ),
      { timeoutMs: 40_000, description: 'a warning that telemetry is retried' },
    );
    expect((await fetch(`${await app.getUrl()}/health/live`)).status).toBe(200);
  });
});
