import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  DRONE_TELEMETRY_REPORTED,
  parseDroneTelemetry,
  TOPICS,
  type DroneTelemetryEvent,
  type PutDeliveryRequest,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { deadLetterTopic, DLQ_HEADERS } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  fuzzSeed,
  interleave,
  malformedMessages,
  seededRandom,
  sendFuzz,
  startServiceProcess,
  startTestIssuer,
  testKafkaBrokers,
  uniqueGroupId,
  waitFor,
  waitForGroupPast,
  type FuzzMessage,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

/**
 * The telemetry consumer under a flood of malformed messages (see libs/testing kafka-fuzz.ts):
 * every one is dead-lettered with its reason, exactly once; the valid reports sent among them
 * are all applied; and the consumer keeps up to the end of what was sent.
 */

const MALFORMED = 1_000;
const DRONES = 10;
const REPORTS_PER_DRONE = 5;
const TELEMETRY = TOPICS.droneTelemetry;

interface DeadLetter {
  group: string;
  source: string;
  reason: string;
}

describe('delivery consumers under fuzzed Kafka messages', () => {
  const brokers = testKafkaBrokers();
  const groupId = uniqueGroupId('delivery-fuzz-telemetry');
  const random = seededRandom(fuzzSeed());
  const deadLetters: DeadLetter[] = [];
  let database: TestDatabase;
  let issuer: TestIssuer;
  let service: ServiceProcess;
  let reader: Consumer;
  let db: Client;

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_kafka_fuzz'),
      startTestIssuer(),
    ]);
    service = await startServiceProcess({
      app: 'delivery',
      env: {
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'fatal',
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_GROUP_ID: groupId,
        NOTIFICATION_MATCHER_GROUP_ID: uniqueGroupId('delivery-fuzz-matcher'),
        NOTIFIER_GROUP_ID: uniqueGroupId('delivery-fuzz-notifier'),
      },
    });
    reader = new Kafka({
      clientId: 'delivery-fuzz-reader',
      brokers,
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: uniqueGroupId('delivery-fuzz-reader') });
    await reader.connect();
    await reader.subscribe({ topics: [deadLetterTopic(TELEMETRY.name)], fromBeginning: true });
    await reader.run({
      eachMessage: ({ message }) => {
        const header = (name: string) => message.headers?.[name]?.toString() ?? '';
        deadLetters.push({
          group: header(DLQ_HEADERS.consumerGroup),
          source: `${header(DLQ_HEADERS.sourcePartition)}:${header(DLQ_HEADERS.sourceOffset)}`,
          reason: header(DLQ_HEADERS.errorMessage),
        });
        return Promise.resolve();
      },
    });
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.allSettled([reader?.disconnect(), db?.end()]);
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  async function createDelivery(droneId: string): Promise<string> {
    const deliveryId = uuidv7();
    const inAnHour = Date.now() + 3_600_000;
    const request: PutDeliveryRequest = {
      accountId: uuidv7(),
      packageId: uuidv7(),
      droneId,
      pickup: { lat: 47.6101, lng: -122.3421 },
      dropoff: { lat: 47.6205, lng: -122.3493 },
      expedited: false,
      confirmationRequired: 'none',
      pickupEta: new Date(inAnHour).toISOString(),
      dropoffEta: new Date(inAnHour + 1_200_000).toISOString(),
    };
    const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
    const response = await fetch(`${service.url}/internal/v1/deliveries/${deliveryId}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await tokens.tokenFor('delivery')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(request),
    });
    expect(response.status).toBe(201);
    return deliveryId;
  }

  it(`dead-letters ${MALFORMED} malformed telemetry messages and applies every valid report among them`, async () => {
    const flights = await Promise.all(
      Array.from({ length: DRONES }, async (_, index) => {
        const droneId = uuidv7();
        return { droneId, deliveryId: await createDelivery(droneId), partition: index % 6 };
      }),
    );
    const t0 = Date.now();
    const valid: (FuzzMessage & { report: DroneTelemetryEvent })[] = flights.flatMap((flight) =>
      Array.from({ length: REPORTS_PER_DRONE }, (_, index) => {
        const report: DroneTelemetryEvent = {
          specversion: '1.0',
          id: uuidv7(),
          source: '/drone-management',
          type: DRONE_TELEMETRY_REPORTED,
          subject: flight.droneId,
          time: new Date(t0 + index * 1_000).toISOString(),
          datacontenttype: 'application/json',
          sequence: index + 1,
          data: {
            droneId: flight.droneId,
            deliveryId: flight.deliveryId,
            state: 'flying-to-pickup',
            location: { lat: 47.5 + random() / 10, lng: -122.3 - random() / 10 },
            batteryPercent: 90 - index,
          },
        };
        // A drone's reports share a partition, so they are applied in order.
        return {
          partition: flight.partition,
          key: flight.droneId,
          value: JSON.stringify(report),
          kind: 'valid',
          report,
        };
      }),
    );
    const malformed = malformedMessages({
      templates: valid
        .slice(0, 5)
        .map(({ report }) => JSON.parse(JSON.stringify(report)) as object),
      count: MALFORMED,
      partitions: TELEMETRY.partitions,
      parse: parseDroneTelemetry,
      random,
    });
    const messages = interleave(random, malformed, valid as FuzzMessage[]);

    const offsets = await sendFuzz(brokers, TELEMETRY.name, messages);

    await waitForGroupPast(brokers, `${groupId}-server`, TELEMETRY.name, offsets, 300_000);
    const malformedAt = new Map(
      messages.flatMap((message, index) =>
        message.kind === 'valid' ? [] : [[offsets[index], message.kind] as const],
      ),
    );
    const ours = await waitFor(
      () => {
        const letters = deadLetters.filter(
          (letter) => letter.group.startsWith(groupId) && malformedAt.has(letter.source),
        );
        return letters.length >= malformedAt.size && letters;
      },
      { timeoutMs: 60_000, description: `${malformedAt.size} dead letters` },
    );
    // Exactly one dead letter per malformed message, each with a reason; none for a valid one.
    expect(ours).toHaveLength(MALFORMED);
    expect(new Set(ours.map((letter) => letter.source)).size).toBe(MALFORMED);
    expect(ours.filter((letter) => letter.reason === '')).toEqual([]);
    const validAt = new Set(
      messages.flatMap((message, index) => (message.kind === 'valid' ? [offsets[index]] : [])),
    );
    expect(
      deadLetters.filter(
        (letter) => letter.group.startsWith(groupId) && validAt.has(letter.source),
      ),
    ).toEqual([]);

    // Every delivery is where its drone's last valid report put it.
    const { rows } = await db.query<{ id: string; lat: number; lng: number; sequence: string }>(
      'SELECT id, last_known_lat AS lat, last_known_lng AS lng, last_report_sequence AS sequence FROM deliveries',
    );
    for (const flight of flights) {
      const last = valid
        .filter(({ report }) => report.data.deliveryId === flight.deliveryId)
        .at(-1);
      expect(rows.find((row) => row.id === flight.deliveryId)).toEqual({
        id: flight.deliveryId,
        lat: last?.report.data.location.lat,
        lng: last?.report.data.location.lng,
        sequence: String(REPORTS_PER_DRONE),
      });
    }
  }, 600_000);
});
