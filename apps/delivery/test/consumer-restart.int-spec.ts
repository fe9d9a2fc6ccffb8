/**
 * delivery's telemetry consumer killed with SIGKILL mid-stream and started again with the same
 * consumer group: every delivery still ends Completed, and each transition is announced exactly
 * once (offsets are committed only after the transaction that applied a report).
 */
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  DRONE_TELEMETRY_REPORTED,
  type DroneFlightState,
  type DroneTelemetryEvent,
  type PutDeliveryRequest,
  TOPICS,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { createIdempotentProducer, ensureTopicsWithDeadLetters } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  startTestIssuer,
  type TestDatabase,
  type TestIssuer,
  testKafkaBrokers,
  uniqueGroupId,
  waitFor,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

const DELIVERIES = 20;
/** Reports per flight: enough that the kill lands while the burst is being consumed. */
const FLIGHT: DroneFlightState[] = [
  ...Array<DroneFlightState>(25).fill('flying-to-pickup'),
  'loading',
  ...Array<DroneFlightState>(25).fill('flying-to-dropoff'),
  'unloading',
  'returning',
];

describe('delivery killed mid-stream', () => {
  const brokers = testKafkaBrokers();
  const groupId = uniqueGroupId('delivery');
  const producer = createIdempotentProducer({ clientId: 'consumer-restart-spec', brokers });
  const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
  let database: TestDatabase;
  let issuer: TestIssuer;
  let db: Client;
  let service: ServiceProcess | undefined;

  const start = () =>
    startServiceProcess({
      app: 'delivery',
      env: {
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_GROUP_ID: groupId,
        LOG_LEVEL: 'error',
      },
    });

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_crash'),
      startTestIssuer(),
    ]);
    await ensureTopicsWithDeadLetters(brokers, [
      { topic: TOPICS.droneTelemetry.name, numPartitions: TOPICS.droneTelemetry.partitions },
    ]);
    await producer.connect();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await producer.disconnect();
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  const stages = async () =>
    (
      await db.query<{ stage: string; count: string }>(
        'SELECT stage, count(*) FROM deliveries GROUP BY stage',
      )
    ).rows.reduce<Record<string, number>>(
      (all, row) => ({ ...all, [row.stage]: Number(row.count) }),
      {},
    );

  it('ends every delivery Completed with each event written once', async () => {
    service = await start();
    const flights: { deliveryId: string; droneId: string }[] = [];
    for (let index = 0; index < DELIVERIES; index++) {
      const flight = { deliveryId: uuidv7(), droneId: uuidv7() };
      const body: PutDeliveryRequest = {
        // Each of its own account, so the quota of deliveries in flight never stands in the way.
        accountId: uuidv7(),
        packageId: uuidv7(),
        droneId: flight.droneId,
        pickup: { lat: 47.61, lng: -122.33 },
        dropoff: { lat: 47.65, lng: -122.3 },
        expedited: false,
        confirmationRequired: 'none',
        pickupEta: new Date(Date.now() + 600_000).toISOString(),
        dropoffEta: new Date(Date.now() + 1_200_000).toISOString(),
      };
      const response = await fetch(`${service.url}/internal/v1/deliveries/${flight.deliveryId}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokens.tokenFor('delivery')}`,
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
      flights.push(flight);
    }

    // Every drone's whole flight, interleaved across drones as they would report.
    const messages = [];
    const startedAt = Date.now();
    for (const [step, state] of FLIGHT.entries()) {
      for (const { deliveryId, droneId } of flights) {
        const event: DroneTelemetryEvent = {
          specversion: '1.0',
          id: uuidv7(),
          source: '/drone-management',
          type: DRONE_TELEMETRY_REPORTED,
          subject: droneId,
          time: new Date(startedAt + step * 1000).toISOString(),
          datacontenttype: 'application/json',
          sequence: step + 1,
          data: {
            droneId,
            deliveryId,
            state,
            location: { lat: 47.61 + step * 0.0008, lng: -122.33 },
            batteryPercent: 90,
          },
        };
        messages.push({ key: droneId, value: JSON.stringify(event) });
      }
    }
    await producer.send({ topic: TOPICS.droneTelemetry.name, acks: -1, messages });

    // Kill it while some deliveries have moved on and others have not.
    await waitFor(
      async () => ((await stages()).InTransit ?? 0) + ((await stages()).Completed ?? 0) > 0,
      {
        timeoutMs: 60_000,
        intervalMs: 5,
        description: 'the first delivery moving',
      },
    );
    await service.kill();
    const atKill = await stages();
    expect(atKill.Completed ?? 0).toBeLessThan(DELIVERIES);

    service = await start();
    await waitFor(async () => (await stages()).Completed === DELIVERIES, {
      timeoutMs: 90_000,
      intervalMs: 250,
      description: `${DELIVERIES} deliveries Completed after the restart`,
    });

    const events = await db.query<{ delivery_id: string; type: string; sequence: number }>(
      'SELECT delivery_id, type, sequence FROM outbox ORDER BY delivery_id, sequence',
    );
    for (const { deliveryId } of flights) {
      const own = events.rows.filter((row) => row.delivery_id === deliveryId);
      expect(own.map((row) => [row.sequence, row.type.split('.')[2]])).toEqual([
        [1, 'DeliveryCreated'],
        [2, 'DeliveryInTransit'],
        [3, 'DeliveryCompleted'],
      ]);
    }
    const located = await db.query<{ last_known_lat: number }>(
      'SELECT last_known_lat FROM deliveries',
    );
    // Completed where the package was dropped: the unloading report's position.
    for (const row of located.rows) {
      expect(Number(row.last_known_lat)).toBeCloseTo(47.61 + (FLIGHT.length - 2) * 0.0008, 6);
    }
    // Room for its own waits: the kill, then a rejoin after the dead member's session expires.
  }, 180_000);
});
