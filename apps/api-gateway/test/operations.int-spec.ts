/**
 * The operators' routes of a real gateway: health and circuit breakers read from the services'
 * /health/ready and /metrics (fakes that answer as scripted, one of them twice behind one name,
 * one not running), consumer lag from the same metrics, and a real dead letter: a real consumer
 * (libs/messaging's) refuses a message, the gateway lists it with its reasons, and two gateway
 * instances asked to redrive it at the same moment send it back exactly once.
 */
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Kafka, logLevel } from 'kafkajs';
import {
  DEMO_ACCOUNTS,
  type DeadLetterPage,
  type MessagingOverview,
  type ProblemDetails,
  type RedriveOutcome,
  type ServicesOverview,
} from '@drone-delivery/contracts';
import {
  deadLetterTopic,
  ensureTopicsWithDeadLetters,
  InvalidMessageError,
  kafkaTransportOptions,
  ReliableKafkaServer,
  RethrowRpcExceptionFilter,
} from '@drone-delivery/messaging';
import {
  createTestDatabase,
  freePort,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  testKafkaBrokers,
  uniqueGroupId,
  uniqueTopic,
  waitFor,
} from '@drone-delivery/testing';
import { FakeService, type ReceivedRequest } from './fake-services';

const TOPIC = uniqueTopic('operations.orders');
const DLQ = deadLetterTopic(TOPIC);

/** What the consumer handled, in order; orders are refused until `fixed` (the cause of failure). */
const handled: string[] = [];
let fixed = false;

@Controller()
class OrderConsumer {
  @EventPattern<string>(TOPIC)
  takeOrder(@Payload() order: { orderId?: string }): void {
    if (!fixed) throw new InvalidMessageError(`order ${order.orderId} names no warehouse`);
    handled.push(String(order.orderId));
  }
}

@Module({ controllers: [OrderConsumer] })
class OrderModule {}

const lagLine = (group: string, partition: number, lag: number) =>
  `kafka_consumer_lag{topic="${TOPIC}",partition="${partition}",group="${group}",service="delivery"} ${lag}\n`;

describe('/api/v1/operations', () => {
  const brokers = testKafkaBrokers();
  const journal: ReceivedRequest[] = [];
  const fakes = {
    scheduler: new FakeService('scheduler', journal, {}),
    delivery: new FakeService('delivery', journal, {}, '127.0.0.1'),
    history: new FakeService('delivery-history', journal, {}),
    other: new FakeService('other', journal, {}),
  };
  let deliveryTwin: FakeService;
  let issuer: TestIssuer;
  let database: TestDatabase;
  let consumer: INestMicroservice;
  const gateways: ServiceProcess[] = [];
  let operator: string;
  let customer: string;

  beforeAll(async () => {
    await ensureTopicsWithDeadLetters(brokers, [{ topic: TOPIC, numPartitions: 2 }]);
    [issuer, database] = await Promise.all([
      startTestIssuer(),
      createTestDatabase('api_gateway_operations'),
      ...Object.values(fakes).map((fake) => fake.start()),
    ]);
    deliveryTwin = new FakeService(
      'delivery',
      journal,
      {},
      '127.0.0.2',
      fakes.delivery.listeningPort,
    );
    await deliveryTwin.start();
    scriptServices();

    const moduleRef = await Test.createTestingModule({ imports: [OrderModule] }).compile();
    const { options } = kafkaTransportOptions({
      clientId: 'operations-spec',
      brokers,
      groupId: uniqueGroupId('operations-orders'),
    });
    consumer = moduleRef.createNestMicroservice({
      strategy: new ReliableKafkaServer(options ?? {}, {
        maxAttempts: 2,
        initialBackoffMs: 20,
        maxBackoffMs: 50,
      }),
      logger: false,
    });
    consumer.useGlobalFilters(new RethrowRpcExceptionFilter());
    await consumer.listen();

    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const env = {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: brokers.join(','),
      ...issuer.env,
      SCHEDULER_URL: fakes.scheduler.url,
      DELIVERY_URL: `http://delivery.test:${fakes.delivery.listeningPort}`,
      SERVICE_ADDRESSES_OVERRIDE: 'delivery.test=127.0.0.1,127.0.0.2',
      DELIVERY_HISTORY_URL: fakes.history.url,
      IDENTITY_URL: fakes.other.url,
      DRONE_MANAGEMENT_URL: fakes.other.url,
      PACKAGE_URL: fakes.other.url,
      ACCOUNTS_URL: unreachable,
      DEAD_LETTER_SOURCE_TOPICS: TOPIC,
      OPERATIONS_PROBE_TIMEOUT_MS: '1000',
    };
    // Two instances of the gateway on one database, as replicas run.
    for (const instance of ['ops-1', 'ops-2']) {
      gateways.push(
        await startServiceProcess({
          app: 'api-gateway',
          readyTimeoutMs: 90_000,
          env: { ...env, INSTANCE_ID: instance },
        }),
      );
    }
    operator = await issuer.bearer({ operator: true });
    customer = await issuer.bearer({ accountId: DEMO_ACCOUNTS.active.accountId });
  });

  afterAll(async () => {
    await Promise.allSettled([...gateways.map((gateway) => gateway.stop()), consumer?.close()]);
    await Promise.allSettled([...Object.values(fakes), deliveryTwin].map((fake) => fake?.stop()));
    await Promise.allSettled([issuer?.stop(), database?.drop()]);
  });

  function scriptServices(): void {
    fakes.scheduler.answerPathWith('/metrics', {
      status: 200,
      text:
        '# TYPE circuit_breaker_state gauge\n' +
        'circuit_breaker_state{downstream="accounts",service="scheduler"} 2\n' +
        'circuit_breaker_state{downstream="package",service="scheduler"} 0\n',
    });
    fakes.delivery.answerPathWith('/metrics', { status: 200, text: lagLine('delivery', 0, 3) });
    deliveryTwin.answerPathWith('/metrics', { status: 200, text: lagLine('delivery', 1, 4) });
    fakes.history.answerPathWith('/health/ready', {
      status: 503,
      body: { status: 'error', error: { database: { status: 'down' } } },
    });
  }

  async function call<T>(method: string, path: string, bearer?: string, gateway = gateways[0]) {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: bearer ? { authorization: bearer } : {},
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as T,
    };
  }

  describe('GET /services', () => {
    it("gives each service's readiness, per instance, and its circuit breakers", async () => {
      const { status, body } = await call<ServicesOverview>(
        'GET',
        '/api/v1/operations/services',
        operator,
      );

      expect(status).toBe(200);
      expect(Date.parse(body.checkedAt)).not.toBeNaN();
      const byName = new Map(body.services.map((service) => [service.service, service]));
      expect([...byName.keys()].sort()).toEqual([
        'accounts',
        'api-gateway',
        'delivery',
        'delivery-history',
        'drone-management',
        'identity',
        'package',
        'scheduler',
      ]);
      expect(byName.get('scheduler')).toMatchObject({
        status: 'ready',
        circuitBreakers: [
          { name: 'accounts', state: 'open' },
          { name: 'package', state: 'closed' },
        ],
      });
      expect(byName.get('delivery')?.instances).toEqual([
        { address: `127.0.0.1:${fakes.delivery.listeningPort}`, status: 'ready' },
        { address: `127.0.0.2:${fakes.delivery.listeningPort}`, status: 'ready' },
      ]);
      expect(byName.get('delivery-history')?.status).toBe('not-ready');
      expect(byName.get('accounts')?.status).toBe('unreachable');
      expect(byName.get('api-gateway')).toMatchObject({
        status: 'ready',
        instances: [{ address: 'ops-1', status: 'ready' }],
      });
      // Asked at the paths every service serves, and at no other.
      expect(
        [...new Set(journal.filter((r) => r.service === 'scheduler').map((r) => r.url))].sort(),
      ).toEqual(['/health/ready', '/metrics']);
    });
  });

  describe('GET /messaging', () => {
    it('sums the lag of a group over its instances', async () => {
      const { status, body } = await call<MessagingOverview>(
        'GET',
        '/api/v1/operations/messaging',
        operator,
      );

      expect(status).toBe(200);
      expect(body.consumers.filter((entry) => entry.topic === TOPIC)).toEqual([
        { service: 'delivery', group: 'delivery', topic: TOPIC, lag: 7 },
      ]);
      expect(body.deadLetters.map((entry) => entry.topic)).toEqual([DLQ]);
    });
  });

  describe('dead letters', () => {
    const kafka = new Kafka({ clientId: 'operations-spec', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();

    beforeAll(() => producer.connect());
    afterAll(() => producer.disconnect());

    const backlog = async () =>
      (await call<MessagingOverview>('GET', '/api/v1/operations/messaging', operator)).body
        .deadLetters[0];

    it('lists a dead letter with why it failed, then redrives it exactly once', async () => {
      await producer.send({
        topic: TOPIC,
        messages: [{ key: 'order-1', value: JSON.stringify({ orderId: 'order-1' }) }],
      });
      await waitFor(async () => (await backlog()).awaitingRedrive === 1, {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: 'the refused order in the DLQ',
      });
      expect(await backlog()).toEqual({
        topic: DLQ,
        sourceTopic: TOPIC,
        messages: 1,
        awaitingRedrive: 1,
      });

      const page = await call<DeadLetterPage>(
        'GET',
        `/api/v1/operations/dead-letters/${DLQ}`,
        operator,
      );
      expect(page.status).toBe(200);
      expect(page.body.topic).toBe(DLQ);
      expect(page.body.items).toHaveLength(1);
      const [letter] = page.body.items;
      expect(letter).toMatchObject({
        key: 'order-1',
        reason: 'order order-1 names no warehouse',
        errorType: 'InvalidMessageError',
        sourceTopic: TOPIC,
        sourceOffset: '0',
        attempts: 1,
        value: JSON.stringify({ orderId: 'order-1' }),
        valueBytes: JSON.stringify({ orderId: 'order-1' }).length,
      });
      expect(letter.partition).toBe(letter.sourcePartition);
      expect(Date.parse(letter.deadLetteredAt as string)).not.toBeNaN();

      // The cause is fixed; two operators press redrive at once, on two gateway instances.
      fixed = true;
      const outcomes = await Promise.all(
        gateways.map((gateway) =>
          call<RedriveOutcome>(
            'POST',
            `/api/v1/operations/dead-letters/${DLQ}/redrive`,
            operator,
            gateway,
          ),
        ),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual([200, 200]);
      expect(outcomes.map((outcome) => outcome.body.redriven).sort()).toEqual([0, 1]);

      // A marker after it on the same key: once it is handled, anything redriven twice would be too.
      await producer.send({
        topic: TOPIC,
        messages: [{ key: 'order-1', value: JSON.stringify({ orderId: 'marker' }) }],
      });
      await waitFor(() => handled.includes('marker'), {
        timeoutMs: 30_000,
        description: 'the marker handled',
      });
      expect(handled).toEqual(['order-1', 'marker']);

      const again = await call<RedriveOutcome>(
        'POST',
        `/api/v1/operations/dead-letters/${DLQ}/redrive`,
        operator,
      );
      expect(again.body).toEqual({ topic: DLQ, redriven: 0 });
      expect(await backlog()).toEqual({
        topic: DLQ,
        sourceTopic: TOPIC,
        messages: 1,
        awaitingRedrive: 0,
      });
      const after = await call<DeadLetterPage>(
        'GET',
        `/api/v1/operations/dead-letters/${DLQ}?limit=10`,
        operator,
      );
      expect(after.body.items).toEqual([]);
    });

    it('refuses a topic that is not a dead-letter topic of the system, and a bad limit', async () => {
      for (const topic of [TOPIC, 'drone.telemetry.v1.dlq']) {
        const answer = await call<ProblemDetails>(
          'GET',
          `/api/v1/operations/dead-letters/${topic}`,
          operator,
        );
        expect(answer.status).toBe(404);
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const redrive = await call<ProblemDetails>(
          'POST',
          `/api/v1/operations/dead-letters/${topic}/redrive`,
          operator,
        );
        expect(redrive.status).toBe(404);
      }
      for (const limit of ['0', '501', 'ten', '-1']) {
        const answer = await call<ProblemDetails>(
          'GET',
          `/api/v1/operations/dead-letters/${DLQ}?limit=${limit}`,
          operator,
        );
        expect(answer.status).toBe(400);
        expect(answer.body.errors).toEqual([
          { field: 'limit', message: 'must be a whole number from 1 to 500' },
        ]);
      }
    });
  });

  describe('access', () => {
    const ROUTES: [string, string][] = [
      ['GET', '/api/v1/operations/services'],
      ['GET', '/api/v1/operations/messaging'],
      ['GET', `/api/v1/operations/dead-letters/${DLQ}`],
      ['POST', `/api/v1/operations/dead-letters/${DLQ}/redrive`],
    ];

    it.each(ROUTES)('%s %s: 401 without a token, 403 for a customer', async (method, path) => {
      const anonymous = await call<ProblemDetails>(method, path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      const forbidden = await call<ProblemDetails>(method, path, customer);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.detail).toBe('Only operators may use the operations routes.');
      // Rate-limited like every call: the headers say how much is left.
      expect(forbidden.headers.get('ratelimit')).toBeTruthy();
    });

    it('answers another method with 405 and Allow', async () => {
      const answer = await call<ProblemDetails>(
        'PUT',
        `/api/v1/operations/dead-letters/${DLQ}/redrive`,
        operator,
      );
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
    });

    it('is in the OpenAPI document the gateway serves', async () => {
      const docs = await call<{ paths: Record<string, Record<string, unknown>> }>(
        'GET',
        '/docs-json',
      );
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/operations/services',
          '/api/v1/operations/messaging',
          '/api/v1/operations/dead-letters/{topic}',
          '/api/v1/operations/dead-letters/{topic}/redrive',
        ]),
      );
      expect(
        Object.keys(docs.body.paths['/api/v1/operations/dead-letters/{topic}/redrive']),
      ).toEqual(['post']);
    });
  });
});
