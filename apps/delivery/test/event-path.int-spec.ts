import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  DELIVERY_EVENT_TYPES,
  DRONE_TELEMETRY_REPORTED,
  parseDeliveryEvent,
  TOPICS,
  type DeliveryEvent,
  type DeliveryStatusView,
  type DeliveryView,
  type DroneFlightState,
  type DroneTelemetryData,
  type DroneTelemetryEvent,
  type GeoPoint,
  type PutDeliveryRequest,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { deadLetterTopic, DLQ_HEADERS } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  startDisposableKafka,
  startServiceProcess,
  startTestIssuer,
  testKafkaBrokers,
  uniqueGroupId,
  waitFor,
  type DisposableKafka,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

/**
 * The delivery service's event path, as a real process against real Kafka and Postgres: its
 * outbox reaches `delivery.events.v1`, and drone telemetry moves its deliveries. Other tests share
 * the topics, so everything here is told apart by this file's own delivery and drone ids.
 */

const TELEMETRY_DLQ = deadLetterTopic(TOPICS.droneTelemetry.name);

// ---- a reader of the topics the service writes ----

interface ReceivedMessage {
  topic: string;
  key: string;
  headers: Record<string, string>;
  /** The value as written: JSON text, or whatever a broken producer sent. */
  value: string;
}

const received: ReceivedMessage[] = [];

const kafkaClient = (brokers: string[]) =>
  new Kafka({ clientId: 'delivery-event-path-test', brokers, logLevel: logLevel.NOTHING });

/** Reads the delivery events and the telemetry dead letters from the beginning, as an operator. */
async function startTopicReader(brokers: string[]): Promise<Consumer> {
  const consumer = kafkaClient(brokers).consumer({
    groupId: uniqueGroupId('delivery-event-path-reader'),
  });
  await consumer.connect();
  await consumer.subscribe({
    topics: [TOPICS.deliveryEvents.name, TELEMETRY_DLQ],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      received.push({
        topic,
        key: message.key?.toString() ?? '',
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        value: message.value?.toString() ?? '',
      });
      return Promise.resolve();
    },
  });
  return consumer;
}

/**
 * Waits until `count` events of the delivery arrived, and answers exactly those that did (ids
 * are unique, so it does not matter which broker or reader they came through).
 */
async function waitForDeliveryEvents(
  deliveryId: string,
  count: number,
): Promise<{ message: ReceivedMessage; event: DeliveryEvent }[]> {
  const messages = await waitFor(
    () => {
      const events = received.filter(
        (message) => message.topic === TOPICS.deliveryEvents.name && message.key === deliveryId,
      );
      return events.length >= count && events;
    },
    { timeoutMs: 30_000, description: `${count} events of delivery ${deliveryId}` },
  );
  return messages.map((message) => ({ message, event: parseDeliveryEvent(message.value) }));
}

const summary = (events: { event: DeliveryEvent }[]) =>
  events.map(({ event }) => [event.sequence, event.type]);

// ---- the service under test ----

/** Each delivery of its own account, so the quota of deliveries in flight never stands in the way. */
function putRequest(droneId = uuidv7()): PutDeliveryRequest {
  const inAnHour = Date.now() + 3_600_000;
  return {
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
}

interface DeliveryApi {
  url: string;
  /** Service tokens expire within a minute; this mints a fresh one when needed. */
  tokens: ServiceTokens;
  /** Access tokens for the public routes, as an operator who may follow any delivery. */
  issuer: TestIssuer;
}

async function call<T>(
  api: DeliveryApi,
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: path.startsWith('/internal/')
        ? `Bearer ${await api.tokens.tokenFor('delivery')}`
        : await api.issuer.bearer({ operator: true }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function createDelivery(api: DeliveryApi, droneId?: string): Promise<DeliveryView> {
  const answer = await call<DeliveryView>(
    api,
    'PUT',
    `/internal/v1/deliveries/${uuidv7()}`,
    putRequest(droneId),
  );
  expect(answer.status).toBe(201);
  return answer.body;
}

// ---- drone telemetry, as drone-management's simulator sends it ----

const T0 = Date.now();

/** Reports of one drone: each one newer than the last (time and sequence), as a drone sends. */
function droneReporter(droneId: string) {
  let sequence = 0;
  return (
    deliveryId: string | null,
    state: DroneFlightState,
    location: GeoPoint,
    extra: Partial<DroneTelemetryData> = {},
  ): DroneTelemetryEvent => {
    sequence += 1;
    return {
      specversion: '1.0',
      id: uuidv7(),
      source: '/drone-management',
      type: DRONE_TELEMETRY_REPORTED,
      subject: droneId,
      time: new Date(T0 + sequence * 1_000).toISOString(),
      datacontenttype: 'application/json',
      sequence,
      data: { droneId, deliveryId, state, location, batteryPercent: 80, ...extra },
    };
  };
}

describe('delivery event path', () => {
  const brokers = testKafkaBrokers();
  const groupId = uniqueGroupId('delivery-event-path');
  let database: TestDatabase;
  let service: ServiceProcess;
  let reader: Consumer;
  let producer: Producer;
  let db: Client;
  let issuer: TestIssuer;
  let api: DeliveryApi;

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_event_path'),
      startTestIssuer(),
    ]);
    service = await startServiceProcess({
      app: 'delivery',
      env: {
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_GROUP_ID: groupId,
      },
    });
    api = {
      url: service.url,
      tokens: new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() }),
      issuer,
    };
    reader = await startTopicReader(brokers);
    producer = kafkaClient(brokers).producer();
    await producer.connect();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.allSettled([reader?.disconnect(), producer?.disconnect(), db?.end()]);
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  async function sendTelemetry(
    ...messages: (DroneTelemetryEvent | { key: string; value: string })[]
  ): Promise<void> {
    await producer.send({
      topic: TOPICS.droneTelemetry.name,
      acks: -1,
      messages: messages.map((message) =>
        'specversion' in message
          ? { key: message.subject, value: JSON.stringify(message) }
          : message,
      ),
    });
  }

  const status = async (deliveryId: string) =>
    (await call<DeliveryStatusView>(api, 'GET', `/api/v1/deliveries/${deliveryId}`)).body;

  async function waitForStatus(
    deliveryId: string,
    expected: Partial<DeliveryStatusView>,
  ): Promise<DeliveryStatusView> {
    return waitFor(
      async () => {
        const current = await status(deliveryId);
        // Throws until it matches, so a timeout says what the delivery looked like last.
        expect(current).toMatchObject(expected);
        return current;
      },
      {
        timeoutMs: 30_000,
        description: `delivery ${deliveryId} to be ${JSON.stringify(expected)}`,
      },
    );
  }

  /**
   * Waits until the service has handled everything the drone reported so far: a drone's reports
   * share a partition, so once a last report for a delivery of its own shows, all earlier did.
   */
  async function settle(droneId: string, report: ReturnType<typeof droneReporter>): Promise<void> {
    const marker = await createDelivery(api, droneId);
    const location = { lat: 47.5 + Math.random() / 10, lng: -122.3 };
    await sendTelemetry(report(marker.deliveryId, 'flying-to-pickup', location));
    await waitForStatus(marker.deliveryId, { lastKnownLocation: location });
  }

  async function outboxCount(deliveryId: string): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM outbox WHERE delivery_id = $1',
      [deliveryId],
    );
    return rows[0].count;
  }

  describe('publishing the outbox', () => {
    it('publishes DeliveryCreated keyed by the delivery, then its reschedule and cancel in order', async () => {
      const created = await createDelivery(api);

      const [first] = await waitForDeliveryEvents(created.deliveryId, 1);
      expect(first.message.key).toBe(created.deliveryId);
      expect(first.message.headers['content-type']).toBe('application/cloudevents+json');
      expect(first.event).toMatchObject({
        specversion: '1.0',
        source: '/delivery',
        type: DELIVERY_EVENT_TYPES.DeliveryCreated,
        subject: created.deliveryId,
        sequence: 1,
        time: created.createdAt,
        data: { deliveryId: created.deliveryId, droneId: created.droneId },
      });

      const path = `/internal/v1/deliveries/${created.deliveryId}`;
      const dropoff = { lat: 47.63, lng: -122.36 };
      expect((await call(api, 'PATCH', path, { dropoff })).status).toBe(200);
      expect((await call(api, 'DELETE', path)).status).toBe(200);

      const events = await waitForDeliveryEvents(created.deliveryId, 3);
      // One key, one partition: they arrive in the order they happened.
      expect(summary(events)).toEqual([
        [1, DELIVERY_EVENT_TYPES.DeliveryCreated],
        [2, DELIVERY_EVENT_TYPES.DeliveryRescheduled],
        [3, DELIVERY_EVENT_TYPES.DeliveryCancelled],
      ]);
      expect(events[1].event.data).toMatchObject({ dropoff });
      expect(events[2].event.data).toEqual({
        deliveryId: created.deliveryId,
        droneId: created.droneId,
      });
      expect(new Set(events.map(({ event }) => event.id)).size).toBe(3);
    });
  });

  describe('deriving the stage from telemetry', () => {
    it('follows a whole flight, sent twice over, to InTransit then Completed, each announced once', async () => {
      const delivery = await createDelivery(api);
      const report = droneReporter(delivery.droneId);
      const base = { lat: 47.59, lng: -122.33 };
      const { pickup, dropoff } = delivery;
      const onTheWay = [
        { lat: 47.613, lng: -122.344 },
        { lat: 47.616, lng: -122.346 },
        { lat: 47.619, lng: -122.348 },
      ];
      const dropoffEta = new Date(Date.now() + 900_000).toISOString();
      const flight: DroneTelemetryEvent[] = [];
      // Every report twice in a row, as an at-least-once producer may send it.
      const fly = async (expected: Partial<DeliveryStatusView>, sent: DroneTelemetryEvent) => {
        flight.push(sent);
        await sendTelemetry(sent, sent);
        return waitForStatus(delivery.deliveryId, expected);
      };

      await fly(
        { stage: 'Created', lastKnownLocation: base },
        report(delivery.deliveryId, 'flying-to-pickup', base),
      );
      await fly(
        { stage: 'Created', lastKnownLocation: pickup },
        report(delivery.deliveryId, 'loading', pickup),
      );
      const inTransit = await fly(
        { stage: 'InTransit', lastKnownLocation: onTheWay[0] },
        report(delivery.deliveryId, 'flying-to-dropoff', onTheWay[0], { dropoffEta }),
      );
      expect(inTransit.dropoffEta).toBe(dropoffEta);
      for (const location of onTheWay.slice(1)) {
        await fly(
          { stage: 'InTransit', lastKnownLocation: location },
          report(delivery.deliveryId, 'flying-to-dropoff', location),
        );
      }
      await fly(
        { stage: 'Completed', lastKnownLocation: dropoff },
        report(delivery.deliveryId, 'unloading', dropoff),
      );
      const returning = report(delivery.deliveryId, 'returning', base);
      await sendTelemetry(returning, returning);
      // The whole flight once more, late: nothing of it is newer than what was applied.
      await sendTelemetry(...flight);
      await settle(delivery.droneId, report);

      // The package stayed at the dropoff while the drone flew home.
      expect(await status(delivery.deliveryId)).toMatchObject({
        stage: 'Completed',
        lastKnownLocation: dropoff,
      });
      expect(await outboxCount(delivery.deliveryId)).toBe(3);
      const events = await waitForDeliveryEvents(delivery.deliveryId, 3);
      expect(summary(events)).toEqual([
        [1, DELIVERY_EVENT_TYPES.DeliveryCreated],
        [2, DELIVERY_EVENT_TYPES.DeliveryInTransit],
        [3, DELIVERY_EVENT_TYPES.DeliveryCompleted],
      ]);
      expect(events[1].event.data).toEqual({
        deliveryId: delivery.deliveryId,
        droneId: delivery.droneId,
        location: onTheWay[0],
      });
      expect(events[2].event.data).toEqual({
        deliveryId: delivery.deliveryId,
        droneId: delivery.droneId,
        location: dropoff,
      });
    });

    it('completes a delivery whose only report is "unloading", passing through InTransit', async () => {
      const delivery = await createDelivery(api);
      const report = droneReporter(delivery.droneId);
      await sendTelemetry(report(delivery.deliveryId, 'unloading', delivery.dropoff));

      await waitForStatus(delivery.deliveryId, {
        stage: 'Completed',
        lastKnownLocation: delivery.dropoff,
      });
      const events = await waitForDeliveryEvents(delivery.deliveryId, 3);
      expect(summary(events)).toEqual([
        [1, DELIVERY_EVENT_TYPES.DeliveryCreated],
        [2, DELIVERY_EVENT_TYPES.DeliveryInTransit],
        [3, DELIVERY_EVENT_TYPES.DeliveryCompleted],
      ]);
      expect(events[1].event.data).toMatchObject({ location: delivery.dropoff });
    });

    it('completes a delivery whose only report is its drone idle at home, naming it completed', async () => {
      const delivery = await createDelivery(api);
      const report = droneReporter(delivery.droneId);
      const home = { lat: 47.59, lng: -122.33 };
      // Every report of the flight was lost; the drone, back home, names what it completed.
      const idle = report(null, 'idle', home, { completedDeliveryId: delivery.deliveryId });
      await sendTelemetry(idle, idle);
      await settle(delivery.droneId, report);

      expect(await status(delivery.deliveryId)).toMatchObject({
        stage: 'Completed',
        lastKnownLocation: delivery.dropoff,
      });
      expect(await outboxCount(delivery.deliveryId)).toBe(3);
      const events = await waitForDeliveryEvents(delivery.deliveryId, 3);
      expect(summary(events)).toEqual([
        [1, DELIVERY_EVENT_TYPES.DeliveryCreated],
        [2, DELIVERY_EVENT_TYPES.DeliveryInTransit],
        [3, DELIVERY_EVENT_TYPES.DeliveryCompleted],
      ]);
      // Heard of only after the drop-off: the package was last on board at the dropoff.
      expect(events[1].event.data).toMatchObject({ location: delivery.dropoff });
      expect(events[2].event.data).toMatchObject({ location: delivery.dropoff });
    });

    it('does not complete a delivery on "returning" alone, as after a cancelled flight', async () => {
      const delivery = await createDelivery(api);
      const report = droneReporter(delivery.droneId);
      const onTheWayHome = { lat: 47.6, lng: -122.34 };
      await sendTelemetry(report(delivery.deliveryId, 'returning', onTheWayHome));
      await settle(delivery.droneId, report);

      expect(await status(delivery.deliveryId)).toMatchObject({
        stage: 'Created',
        lastKnownLocation: onTheWayHome,
      });
      expect(await outboxCount(delivery.deliveryId)).toBe(1);
    });

    it('keeps the newest location when an older report arrives late', async () => {
      const delivery = await createDelivery(api);
      const report = droneReporter(delivery.droneId);
      const older = report(delivery.deliveryId, 'flying-to-pickup', { lat: 47.6, lng: -122.3 });
      const newer = report(delivery.deliveryId, 'loading', delivery.pickup);

      await sendTelemetry(newer);
      await waitForStatus(delivery.deliveryId, { lastKnownLocation: delivery.pickup });
      await sendTelemetry(older);
      await settle(delivery.droneId, report);

      expect(await status(delivery.deliveryId)).toMatchObject({
        stage: 'Created',
        lastKnownLocation: delivery.pickup,
      });
    });

    it('ignores reports for a cancelled delivery, an unknown one, and from a drone not assigned', async () => {
      const cancelled = await createDelivery(api);
      expect(
        (await call(api, 'DELETE', `/internal/v1/deliveries/${cancelled.deliveryId}`)).status,
      ).toBe(200);
      const otherDronesDelivery = await createDelivery(api);
      const report = droneReporter(cancelled.droneId);
      const somewhere = { lat: 47.62, lng: -122.35 };

      await sendTelemetry(
        report(cancelled.deliveryId, 'flying-to-dropoff', somewhere),
        report(uuidv7(), 'unloading', somewhere),
        report(otherDronesDelivery.deliveryId, 'unloading', somewhere),
      );
      await settle(cancelled.droneId, report);

      expect(await status(cancelled.deliveryId)).toMatchObject({
        stage: 'Cancelled',
        lastKnownLocation: null,
      });
      expect(await status(otherDronesDelivery.deliveryId)).toMatchObject({
        stage: 'Created',
        lastKnownLocation: null,
      });
      expect(await outboxCount(cancelled.deliveryId)).toBe(2);
      expect(await outboxCount(otherDronesDelivery.deliveryId)).toBe(1);
    });

    it('dead-letters malformed telemetry with the reason, and applies the valid report after it', async () => {
      const delivery = await createDelivery(api);
      const report = droneReporter(delivery.droneId);
      const wrongSchema = report(delivery.deliveryId, 'loading', delivery.pickup);
      const unknownType = report(delivery.deliveryId, 'loading', delivery.pickup);
      const notJson = `not telemetry ${uuidv7()}`;

      await sendTelemetry(
        { key: delivery.droneId, value: notJson },
        {
          key: delivery.droneId,
          value: JSON.stringify({
            ...wrongSchema,
            data: { ...wrongSchema.data, state: 'hovering' },
          }),
        },
        {
          key: delivery.droneId,
          value: JSON.stringify({ ...unknownType, type: 'drone-delivery.drone.Exploded.v1' }),
        },
        report(delivery.deliveryId, 'flying-to-pickup', delivery.pickup),
      );

      await waitForStatus(delivery.deliveryId, { lastKnownLocation: delivery.pickup });
      const deadLetters = await waitFor(
        () => {
          const letters = received.filter(
            (message) =>
              message.topic === TELEMETRY_DLQ &&
              message.key === delivery.droneId &&
              message.headers[DLQ_HEADERS.consumerGroup]?.startsWith(groupId),
          );
          return letters.length >= 3 && letters;
        },
        { timeoutMs: 30_000, description: 'three dead letters of the drone' },
      );
      expect(deadLetters).toHaveLength(3);
      const reasons = deadLetters.map((letter) => ({
        value: letter.value,
        sourceTopic: letter.headers[DLQ_HEADERS.sourceTopic],
        errorType: letter.headers[DLQ_HEADERS.errorType],
        attempts: letter.headers[DLQ_HEADERS.attempts],
        errorMessage: letter.headers[DLQ_HEADERS.errorMessage],
      }));
      const common = {
        sourceTopic: TOPICS.droneTelemetry.name,
        errorType: 'InvalidMessageError',
        attempts: '1',
      };
      expect(reasons).toEqual([
        { ...common, value: notJson, errorMessage: expect.stringMatching(/not JSON/) },
        {
          ...common,
          value: expect.stringContaining(wrongSchema.id),
          errorMessage: expect.stringMatching(/\/state/),
        },
        {
          ...common,
          value: expect.stringContaining(unknownType.id),
          errorMessage: expect.stringMatching(/no events of type drone-delivery.drone.Exploded.v1/),
        },
      ]);
    });
  });
});

describe('delivery event path when Kafka is down', () => {
  let kafka: DisposableKafka;
  let database: TestDatabase;
  let service: ServiceProcess;
  let reader: Consumer | undefined;
  let db: Client;
  let issuer: TestIssuer;
  let api: DeliveryApi;

  beforeAll(async () => {
    [kafka, database, issuer] = await Promise.all([
      startDisposableKafka(),
      createTestDatabase('delivery_kafka_outage'),
      startTestIssuer(),
    ]);
    service = await startServiceProcess({
      app: 'delivery',
      env: {
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'error',
        KAFKA_BROKERS: kafka.brokers.join(','),
        KAFKA_GROUP_ID: uniqueGroupId('delivery-outage'),
      },
    });
    api = {
      url: service.url,
      tokens: new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() }),
      issuer,
    };
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled([reader?.disconnect(), db?.end()]);
    await service?.stop();
    await Promise.allSettled([database?.drop(), kafka?.remove(), issuer?.stop()]);
  }, 60_000);

  async function unpublished(): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL',
    );
    return rows[0].count;
  }

  it('keeps taking changes while the broker is down, then publishes them in order and consumes again', async () => {
    const before = await createDelivery(api);
    await waitFor(async () => (await unpublished()) === 0, {
      timeoutMs: 30_000,
      description: 'the first event published',
    });

    await kafka.stopBroker();
    const during = await createDelivery(api);
    const rescheduled = await call(api, 'PATCH', `/internal/v1/deliveries/${during.deliveryId}`, {
      dropoff: { lat: 47.64, lng: -122.37 },
    });
    const another = await createDelivery(api);
    expect(rescheduled.status).toBe(200);
    // The service stays ready: its changes wait in the outbox, not in memory.
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    expect(await unpublished()).toBe(3);

    await kafka.startBroker();
    await waitFor(async () => (await unpublished()) === 0, {
      timeoutMs: 60_000,
      description: 'the outbox drained after the outage',
    });
    reader = await startTopicReader(kafka.brokers);
    const created = [1, DELIVERY_EVENT_TYPES.DeliveryCreated];
    expect(summary(await waitForDeliveryEvents(before.deliveryId, 1))).toEqual([created]);
    expect(summary(await waitForDeliveryEvents(during.deliveryId, 2))).toEqual([
      created,
      [2, DELIVERY_EVENT_TYPES.DeliveryRescheduled],
    ]);
    expect(summary(await waitForDeliveryEvents(another.deliveryId, 1))).toEqual([created]);

    // The telemetry consumer is back too: a report sent now moves the delivery. Its consumer
    // crashed during the outage and rejoins its group once the broker has given up on the old
    // member (the 30 s session timeout), hence the longer wait.
    const producer = kafkaClient(kafka.brokers).producer();
    await producer.connect();
    try {
      const report = droneReporter(another.droneId)(
        another.deliveryId,
        'flying-to-dropoff',
        another.pickup,
      );
      await producer.send({
        topic: TOPICS.droneTelemetry.name,
        acks: -1,
        messages: [{ key: report.subject, value: JSON.stringify(report) }],
      });
      await waitFor(
        async () =>
          (await call<DeliveryStatusView>(api, 'GET', `/api/v1/deliveries/${another.deliveryId}`))
            .body.stage === 'InTransit',
        { timeoutMs: 90_000, description: 'the delivery InTransit after the outage' },
      );
    } finally {
      await producer.disconnect();
    }
  }, 240_000);
});
