import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { v7 as uuidv7, version as uuidVersion } from 'uuid';
import {
  DELIVERY_EVENT_TYPES,
  parseDeliveryEvent,
  type DeliveryStatusView,
  type DeliveryView,
  type ProblemDetails,
  type PutDeliveryRequest,
} from '@drone-delivery/contracts';
import { CORRELATION_ID_HEADER, ServiceTokens } from '@drone-delivery/http';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  testKafkaBrokers,
  uniqueGroupId,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  serviceTokenEnv,
  testSigningKey,
  untrustedSigningKey,
} from '@drone-delivery/testing';

/**
 * The delivery service as a real process on its own database: the internal lifecycle API, the
 * public status route, and the outbox rows each change leaves behind. (Access tokens and
 * ownership on the public routes: public-api.int-spec.ts; the quota: quota.int-spec.ts.)
 */

interface OutboxRow {
  id: string;
  delivery_id: string;
  sequence: number;
  type: string;
  topic: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
}

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Each delivery of its own account, so the quota of deliveries in flight never stands in the way. */
function putRequest(overrides: Partial<PutDeliveryRequest> = {}): PutDeliveryRequest {
  const inAnHour = Date.now() + 3_600_000;
  return {
    accountId: randomUUID(),
    packageId: uuidv7(),
    droneId: uuidv7(),
    pickup: { lat: 47.6101, lng: -122.3421 },
    dropoff: { lat: 47.6205, lng: -122.3493 },
    pickupTime: new Date(inAnHour).toISOString(),
    deadline: new Date(inAnHour + 7_200_000).toISOString(),
    expedited: false,
    confirmationRequired: 'fingerprint',
    pickupEta: new Date(inAnHour + 600_000).toISOString(),
    dropoffEta: new Date(inAnHour + 1_800_000).toISOString(),
    ...overrides,
  };
}

describe('delivery service', () => {
  let database: TestDatabase;
  let issuer: TestIssuer;
  let delivery: ServiceProcess;
  let db: Client;
  let token: string;
  let tokenForPackage: string;

  beforeAll(async () => {
    [database, issuer] = await Promise.all([createTestDatabase('delivery'), startTestIssuer()]);
    delivery = await startServiceProcess({
      app: 'delivery',
      env: {
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        KAFKA_GROUP_ID: uniqueGroupId('delivery-api'),
      },
    });
    db = new Client({ connectionString: database.url });
    await db.connect();
    const scheduler = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
    token = await scheduler.tokenFor('delivery');
    tokenForPackage = await scheduler.tokenFor('package');
  });

  afterAll(async () => {
    await db?.end();
    await delivery?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  async function call<T = DeliveryView>(
    method: 'GET' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const bearer = options.token === undefined ? token : options.token;
    const response = await fetch(`${delivery.url}${path}`, {
      method,
      headers: {
        ...(bearer !== null && { authorization: `Bearer ${bearer}` }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return {
      status: response.status,
      body: (await response.json()) as T,
      headers: response.headers,
    };
  }

  const internal = (deliveryId: string) => `/internal/v1/deliveries/${deliveryId}`;

  /** A public route, as a customer of `accountId` calls it: an access token, no service token. */
  const asCustomer = async (accountId: string) => ({
    token: null,
    headers: { authorization: await issuer.bearer({ accountId }) },
  });

  async function createDelivery(request = putRequest()): Promise<DeliveryView> {
    const deliveryId = uuidv7();
    const answer = await call('PUT', internal(deliveryId), { body: request });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  async function outboxRows(deliveryId: string): Promise<OutboxRow[]> {
    const { rows } = await db.query<OutboxRow>(
      `SELECT id, delivery_id, sequence, type, topic, key, payload, headers
         FROM outbox WHERE delivery_id = $1 ORDER BY sequence`,
      [deliveryId],
    );
    return rows;
  }

  async function deliveryRows(deliveryId: string): Promise<{ stage: string }[]> {
    const { rows } = await db.query<{ stage: string }>(
      'SELECT stage FROM deliveries WHERE id = $1',
      [deliveryId],
    );
    return rows;
  }

  describe('PUT /internal/v1/deliveries/{deliveryId}', () => {
    it('creates the delivery and exactly one DeliveryCreated event in the outbox', async () => {
      const deliveryId = uuidv7();
      const request = putRequest({ expedited: true });
      const answer = await call('PUT', internal(deliveryId), {
        body: request,
        headers: { [CORRELATION_ID_HEADER]: 'create-test-1' },
      });

      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        deliveryId,
        ...request,
        stage: 'Created',
        lastKnownLocation: null,
        createdAt: expect.any(String),
        updatedAt: answer.body.createdAt,
      });
      expect(await deliveryRows(deliveryId)).toEqual([{ stage: 'Created' }]);

      const events = await outboxRows(deliveryId);
      expect(events).toHaveLength(1);
      const [row] = events;
      expect(row).toMatchObject({
        delivery_id: deliveryId,
        sequence: 1,
        type: DELIVERY_EVENT_TYPES.DeliveryCreated,
        topic: 'delivery.events.v1',
        key: deliveryId,
      });
      const event = parseDeliveryEvent(row.payload);
      expect(event).toEqual({
        specversion: '1.0',
        id: row.id,
        source: '/delivery',
        type: 'drone-delivery.delivery.DeliveryCreated.v1',
        subject: deliveryId,
        time: answer.body.createdAt,
        datacontenttype: 'application/json',
        sequence: 1,
        correlationid: 'create-test-1',
        // The request's span (W3C trace context): consumers continue its trace.
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) as string,
        data: { deliveryId, ...request },
      });
      expect(row.headers).toEqual({
        'content-type': 'application/cloudevents+json',
        traceparent: event.traceparent,
      });
      expect(uuidVersion(event.id)).toBe(7);
    });

    it('answers a retry with 200 and the stored delivery, writing no second event', async () => {
      const deliveryId = uuidv7();
      const request = putRequest();
      const first = await call('PUT', internal(deliveryId), { body: request });
      // The same instants written another way are the same delivery.
      const retry = await call('PUT', internal(deliveryId), {
        body: { ...request, pickupEta: request.pickupEta.replace('Z', '+00:00') },
      });

      expect(first.status).toBe(201);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(await outboxRows(deliveryId)).toHaveLength(1);
    });

    it('lets exactly one of several identical concurrent PUTs create the delivery', async () => {
      const deliveryId = uuidv7();
      const request = putRequest();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => call('PUT', internal(deliveryId), { body: request })),
      );

      expect(answers.map((answer) => answer.status).sort()).toEqual([
        200, 200, 200, 200, 200, 200, 200, 201,
      ]);
      expect(new Set(answers.map((answer) => answer.body.createdAt)).size).toBe(1);
      expect(await deliveryRows(deliveryId)).toHaveLength(1);
      expect(await outboxRows(deliveryId)).toHaveLength(1);
    });

    it('refuses the same id with other contents (409) and leaves the delivery as it was', async () => {
      const deliveryId = uuidv7();
      const request = putRequest();
      await call('PUT', internal(deliveryId), { body: request });
      const conflict = await call<ProblemDetails>('PUT', internal(deliveryId), {
        body: { ...request, droneId: uuidv7() },
      });

      expect(conflict.status).toBe(409);
      expect(conflict.headers.get('content-type')).toContain('application/problem+json');
      expect(conflict.body.detail).toContain(`Delivery ${deliveryId} already exists`);
      const stored = await call('GET', internal(deliveryId));
      expect(stored.body.droneId).toBe(request.droneId);
      expect(await outboxRows(deliveryId)).toHaveLength(1);
    });

    it('rejects an invalid body with every field error at once and stores nothing', async () => {
      const deliveryId = uuidv7();
      const answer = await call<ProblemDetails>('PUT', internal(deliveryId), {
        body: {
          ...putRequest(),
          pickup: { lat: 91, lng: 0 },
          confirmationRequired: 'retina',
          droneId: 'drone-7',
          color: 'red',
        },
      });

      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((error) => error.field).sort()).toEqual([
        'color',
        'confirmationRequired',
        'droneId',
        'pickup.lat',
      ]);
      expect(await deliveryRows(deliveryId)).toEqual([]);
    });

    it('rejects a deadline that is not after the pickup time', async () => {
      const request = putRequest();
      const answer = await call<ProblemDetails>('PUT', internal(uuidv7()), {
        body: { ...request, deadline: request.pickupTime },
      });

      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.field).toBe('deadline');
    });

    it('writes neither the delivery nor its event when the outbox insert fails', async () => {
      const doomed = uuidv7();
      await db.query(`
        CREATE FUNCTION refuse_outbox_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'test: the outbox refuses events of %', NEW.delivery_id;
        END $$`);
      await db.query(`
        CREATE TRIGGER refuse_outbox_insert BEFORE INSERT ON outbox
          FOR EACH ROW WHEN (NEW.delivery_id = '${doomed}') EXECUTE FUNCTION refuse_outbox_insert()`);
      try {
        const answer = await call<ProblemDetails>('PUT', internal(doomed), { body: putRequest() });

        expect(answer.status).toBe(500);
        expect(await deliveryRows(doomed)).toEqual([]);
        expect(await outboxRows(doomed)).toEqual([]);
        // Not an error the caller made: the same PUT succeeds once the outbox accepts again.
        await db.query('DROP TRIGGER refuse_outbox_insert ON outbox');
        const retry = await call('PUT', internal(doomed), { body: putRequest() });
        expect(retry.status).toBe(201);
        expect(await outboxRows(doomed)).toHaveLength(1);
      } finally {
        await db.query('DROP TRIGGER IF EXISTS refuse_outbox_insert ON outbox');
        await db.query('DROP FUNCTION refuse_outbox_insert()');
      }
    });
  });

  describe('PATCH /internal/v1/deliveries/{deliveryId}', () => {
    it('reschedules: stage Rescheduled and a DeliveryRescheduled event with the next sequence', async () => {
      const created = await createDelivery();
      const change = {
        dropoff: { lat: 47.63, lng: -122.35 },
        pickupEta: new Date(Date.now() + 5_400_000).toISOString(),
        dropoffEta: new Date(Date.now() + 6_600_000).toISOString(),
      };
      const answer = await call('PATCH', internal(created.deliveryId), {
        body: change,
        headers: { [CORRELATION_ID_HEADER]: 'reschedule-test-1' },
      });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        ...created,
        ...change,
        stage: 'Rescheduled',
        updatedAt: expect.any(String),
      });
      expect(Date.parse(answer.body.updatedAt)).toBeGreaterThanOrEqual(
        Date.parse(created.updatedAt),
      );

      const events = await outboxRows(created.deliveryId);
      expect(events.map((row) => [row.sequence, row.type])).toEqual([
        [1, DELIVERY_EVENT_TYPES.DeliveryCreated],
        [2, DELIVERY_EVENT_TYPES.DeliveryRescheduled],
      ]);
      const event = parseDeliveryEvent(events[1].payload);
      expect(event).toMatchObject({
        sequence: 2,
        subject: created.deliveryId,
        time: answer.body.updatedAt,
        correlationid: 'reschedule-test-1',
        data: {
          deliveryId: created.deliveryId,
          dropoff: change.dropoff,
          pickupTime: created.pickupTime,
          deadline: created.deadline,
          pickupEta: change.pickupEta,
          dropoffEta: change.dropoffEta,
        },
      });
    });

    it('numbers the events of concurrent reschedules 1, 2, 3… without gaps or repeats', async () => {
      const created = await createDelivery();
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          call('PATCH', internal(created.deliveryId), {
            body: { dropoff: { lat: 47.6 + index / 100, lng: -122.3 } },
          }),
        ),
      );

      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const events = await outboxRows(created.deliveryId);
      expect(events.map((row) => row.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('rejects an empty change and unknown fields (400) without an event', async () => {
      const created = await createDelivery();
      const empty = await call<ProblemDetails>('PATCH', internal(created.deliveryId), { body: {} });
      const unknown = await call<ProblemDetails>('PATCH', internal(created.deliveryId), {
        body: { dropoff: { lat: 47.6, lng: -122.3 }, droneId: uuidv7() },
      });
      const nulled = await call<ProblemDetails>('PATCH', internal(created.deliveryId), {
        body: { deadline: null },
      });

      expect(empty.status).toBe(400);
      expect(empty.body.errors).toEqual([{ field: 'body', message: expect.any(String) }]);
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors?.map((error) => error.field)).toEqual(['droneId']);
      expect(nulled.status).toBe(400);
      expect(await outboxRows(created.deliveryId)).toHaveLength(1);
    });

    it('checks a new deadline against the stored pickup time', async () => {
      const created = await createDelivery();
      const answer = await call<ProblemDetails>('PATCH', internal(created.deliveryId), {
        body: { deadline: created.pickupTime },
      });

      expect(answer.status).toBe(400);
      expect((await call('GET', internal(created.deliveryId))).body.stage).toBe('Created');
    });

    it('records a re-plan the drone accepted before pickup even when InTransit overtook it', async () => {
      const created = await createDelivery();
      await db.query(`UPDATE deliveries SET stage = 'InTransit' WHERE id = $1`, [
        created.deliveryId,
      ]);
      // The scheduler sends a new dropoff only after drone-management accepted it.
      const replan = {
        dropoff: { lat: 47.64, lng: -122.36 },
        pickupEta: created.pickupEta,
        dropoffEta: new Date(Date.parse(created.dropoffEta) + 300_000).toISOString(),
      };
      const answer = await call('PATCH', internal(created.deliveryId), { body: replan });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ ...replan, stage: 'InTransit' });
      // A new deadline alone is no re-plan: once picked up, the delivery no longer changes.
      const deadline = await call<ProblemDetails>('PATCH', internal(created.deliveryId), {
        body: { deadline: new Date(Date.parse(created.deadline as string) + 60_000).toISOString() },
      });
      expect(deadline.status).toBe(409);
      expect(deadline.body.stage).toBe('InTransit');
      expect(await deliveryRows(created.deliveryId)).toEqual([{ stage: 'InTransit' }]);
    });

    it('answers 404 for a delivery that does not exist', async () => {
      const answer = await call<ProblemDetails>('PATCH', internal(uuidv7()), {
        body: { dropoff: { lat: 47.6, lng: -122.3 } },
      });

      expect(answer.status).toBe(404);
    });
  });

  describe('DELETE /internal/v1/deliveries/{deliveryId}', () => {
    it('cancels with one DeliveryCancelled event; cancelling again answers 200 and adds none', async () => {
      const created = await createDelivery();
      const cancelled = await call('DELETE', internal(created.deliveryId));
      const again = await call('DELETE', internal(created.deliveryId));

      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ deliveryId: created.deliveryId, stage: 'Cancelled' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(cancelled.body);
      const events = await outboxRows(created.deliveryId);
      expect(events.map((row) => [row.sequence, row.type])).toEqual([
        [1, DELIVERY_EVENT_TYPES.DeliveryCreated],
        [2, DELIVERY_EVENT_TYPES.DeliveryCancelled],
      ]);
      expect(parseDeliveryEvent(events[1].payload).data).toEqual({
        deliveryId: created.deliveryId,
        droneId: created.droneId,
      });
    });

    it('refuses to reschedule a cancelled delivery (409, saying it is Cancelled)', async () => {
      const created = await createDelivery();
      await call('DELETE', internal(created.deliveryId));
      const answer = await call<ProblemDetails>('PATCH', internal(created.deliveryId), {
        body: { dropoff: { lat: 47.6, lng: -122.3 } },
      });

      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({
        type: 'https://drone-delivery.example/problems/delivery-stage-conflict',
        stage: 'Cancelled',
      });
      expect(answer.body.detail).toContain('is Cancelled');
      expect(await outboxRows(created.deliveryId)).toHaveLength(2);
    });

    it('refuses to cancel or reschedule a completed delivery (409, saying it is Completed)', async () => {
      const created = await createDelivery();
      await db.query(`UPDATE deliveries SET stage = 'Completed' WHERE id = $1`, [
        created.deliveryId,
      ]);
      const cancel = await call<ProblemDetails>('DELETE', internal(created.deliveryId));
      const reschedule = await call<ProblemDetails>('PATCH', internal(created.deliveryId), {
        body: { deadline: new Date(Date.now() + 86_400_000).toISOString() },
      });

      for (const answer of [cancel, reschedule]) {
        expect(answer.status).toBe(409);
        expect(answer.body.stage).toBe('Completed');
        expect(answer.body.detail).toContain('is Completed');
      }
      expect(await deliveryRows(created.deliveryId)).toEqual([{ stage: 'Completed' }]);
      expect(await outboxRows(created.deliveryId)).toHaveLength(1);
    });

    it('serialises a concurrent reschedule and cancel: never both on the same old stage', async () => {
      for (let round = 0; round < 5; round++) {
        const created = await createDelivery();
        const [patched, cancelled] = await Promise.all([
          call('PATCH', internal(created.deliveryId), {
            body: { dropoff: { lat: 47.61, lng: -122.31 } },
          }),
          call('DELETE', internal(created.deliveryId)),
        ]);

        expect(cancelled.status).toBe(200);
        const types = (await outboxRows(created.deliveryId)).map((row) => row.type);
        // Either the reschedule came first and the cancel after it, or the cancel came first and
        // the reschedule was refused; the stage machine sees every change in turn.
        if (patched.status === 200) {
          expect(types).toEqual([
            DELIVERY_EVENT_TYPES.DeliveryCreated,
            DELIVERY_EVENT_TYPES.DeliveryRescheduled,
            DELIVERY_EVENT_TYPES.DeliveryCancelled,
          ]);
        } else {
          expect(patched.status).toBe(409);
          expect(types).toEqual([
            DELIVERY_EVENT_TYPES.DeliveryCreated,
            DELIVERY_EVENT_TYPES.DeliveryCancelled,
          ]);
        }
        expect(await deliveryRows(created.deliveryId)).toEqual([{ stage: 'Cancelled' }]);
      }
    });

    it('answers 404 for a delivery that does not exist', async () => {
      expect((await call('DELETE', internal(uuidv7()))).status).toBe(404);
    });

    it('refuses (410) a PUT that arrives after the DELETE of its unknown id, creating nothing', async () => {
      // A saga's compensation that overtook its own PUT, still queued here.
      const deliveryId = uuidv7();
      expect((await call('DELETE', internal(deliveryId))).status).toBe(404);
      const late = await call<ProblemDetails>('PUT', internal(deliveryId), { body: putRequest() });
      expect(late.status).toBe(410);
      expect(late.body.type).toBe('https://drone-delivery.example/problems/delivery-gone');
      expect(await deliveryRows(deliveryId)).toEqual([]);
      expect(await outboxRows(deliveryId)).toEqual([]);
      expect((await call('DELETE', internal(deliveryId))).status).toBe(404);
    });

    it('never leaves a Created delivery behind when its PUT and DELETE race', async () => {
      for (let round = 0; round < 10; round++) {
        const deliveryId = uuidv7();
        const [put, deleted] = await Promise.all([
          call('PUT', internal(deliveryId), { body: putRequest() }),
          call('DELETE', internal(deliveryId)),
        ]);
        // Either the PUT came first and the DELETE cancelled it, or the DELETE came first.
        if (put.status === 201) {
          expect(deleted.status).toBe(200);
          expect(await deliveryRows(deliveryId)).toEqual([{ stage: 'Cancelled' }]);
        } else {
          expect([put.status, deleted.status]).toEqual([410, 404]);
          expect(await deliveryRows(deliveryId)).toEqual([]);
        }
      }
    });

    it('leaves the delivery as it was when the outbox refuses the cancel event', async () => {
      const created = await createDelivery();
      await db.query(`
        CREATE FUNCTION refuse_cancel_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'test: the outbox refuses events of %', NEW.delivery_id;
        END $$`);
      await db.query(`
        CREATE TRIGGER refuse_cancel_event BEFORE INSERT ON outbox FOR EACH ROW
          WHEN (NEW.delivery_id = '${created.deliveryId}') EXECUTE FUNCTION refuse_cancel_event()`);
      try {
        expect((await call('DELETE', internal(created.deliveryId))).status).toBe(500);
      } finally {
        await db.query('DROP TRIGGER refuse_cancel_event ON outbox');
        await db.query('DROP FUNCTION refuse_cancel_event()');
      }

      expect(await call('GET', internal(created.deliveryId))).toMatchObject({
        status: 200,
        body: { stage: 'Created', updatedAt: created.updatedAt },
      });
      const { rows } = await db.query<{ last_sequence: number }>(
        'SELECT last_sequence FROM deliveries WHERE id = $1',
        [created.deliveryId],
      );
      expect(rows).toEqual([{ last_sequence: 1 }]);
      expect(await outboxRows(created.deliveryId)).toHaveLength(1);
    });
  });

  describe('GET', () => {
    it('answers the whole delivery on the internal route', async () => {
      const created = await createDelivery();
      const answer = await call('GET', internal(created.deliveryId));

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(created);
    });

    it("answers the public status to a customer of the delivery's account", async () => {
      const created = await createDelivery();
      const answer = await call<DeliveryStatusView>(
        'GET',
        `/api/v1/deliveries/${created.deliveryId}`,
        await asCustomer(created.accountId),
      );

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        deliveryId: created.deliveryId,
        stage: 'Created',
        droneId: created.droneId,
        lastKnownLocation: null,
        pickupEta: created.pickupEta,
        dropoffEta: created.dropoffEta,
        updatedAt: created.updatedAt,
      });
    });

    it('answers 404 for an unknown delivery, public and internal', async () => {
      const unknown = uuidv7();
      const publicAnswer = await call<ProblemDetails>(
        'GET',
        `/api/v1/deliveries/${unknown}`,
        await asCustomer(randomUUID()),
      );
      const internalAnswer = await call<ProblemDetails>('GET', internal(unknown));

      expect(publicAnswer.status).toBe(404);
      expect(publicAnswer.body.detail).toBe(`There is no delivery ${unknown}.`);
      expect(internalAnswer.status).toBe(404);
    });

    it.each([
      ['GET', '/api/v1/deliveries/not-a-uuid'],
      ['GET', '/internal/v1/deliveries/not-a-uuid'],
      ['PATCH', '/internal/v1/deliveries/42'],
      ['DELETE', '/internal/v1/deliveries/42'],
    ] as const)('answers 400 to %s %s (an id that is not a UUID)', async (method, path) => {
      const answer = await call<ProblemDetails>(method, path, {
        body: method === 'PATCH' ? { dropoff: { lat: 47.6, lng: -122.3 } } : undefined,
        ...(path.startsWith('/api/') && (await asCustomer(randomUUID()))),
      });

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('service tokens on internal routes', () => {
    const ROUTES = [
      ['PUT', () => ({ body: putRequest() })],
      ['GET', () => ({})],
      ['PATCH', () => ({ body: { dropoff: { lat: 47.6, lng: -122.3 } } })],
      ['DELETE', () => ({})],
    ] as const;

    it.each(ROUTES)(
      '%s answers 401 without a token or with a forged one',
      async (method, options) => {
        const created = await createDelivery();
        const forged = await new ServiceTokens({
          serviceName: 'scheduler',
          signingKey: untrustedSigningKey(),
        }).tokenFor('delivery');

        for (const bearer of [null, 'garbage', forged]) {
          const answer = await call<ProblemDetails>(method, internal(created.deliveryId), {
            ...options(),
            token: bearer,
          });
          expect(answer.status).toBe(401);
        }
        expect(await outboxRows(created.deliveryId)).toHaveLength(1);
      },
    );

    it.each(ROUTES)('%s answers 403 with a token for another service', async (method, options) => {
      const created = await createDelivery();
      const answer = await call<ProblemDetails>(method, internal(created.deliveryId), {
        ...options(),
        token: tokenForPackage,
      });

      expect(answer.status).toBe(403);
      expect(answer.body.detail).toContain('not delivery');
      expect(await outboxRows(created.deliveryId)).toHaveLength(1);
    });

    it('lets a PUT with no token create nothing', async () => {
      const deliveryId = randomUUID();
      const answer = await call('PUT', internal(deliveryId), { body: putRequest(), token: null });

      expect(answer.status).toBe(401);
      expect(await deliveryRows(deliveryId)).toEqual([]);
    });
  });
});
