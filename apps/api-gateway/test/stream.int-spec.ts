/**
 * The live stream end to end: the gateway as a real process on the test run's Kafka, delivery
 * events and telemetry produced as delivery and drone-management produce them, and real
 * WebSocket clients. Delivery and delivery-history are a small fake whose answers the test
 * scripts: who owns which delivery, and what the history holds so far.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import {
  DELIVERY_EVENT_TYPES,
  DEMO_ACCOUNTS,
  DRONE_TELEMETRY_REPORTED,
  TOPICS,
} from '@drone-delivery/contracts';
import { ensureTopicsWithDeadLetters } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  testKafkaBrokers,
  waitFor,
} from '@drone-delivery/testing';

const ACCOUNT: string = DEMO_ACCOUNTS.active.accountId;
const OTHER_ACCOUNT: string = DEMO_ACCOUNTS.suspended.accountId;
/** The fake history's largest page: small, so a replay must follow the Link to the next. */
const HISTORY_PAGE = 2;

interface Frame {
  type: string;
  deliveryId?: string;
  sequence?: number;
  eventType?: string;
  droneId?: string;
  code?: string;
  lastSequence?: number;
}

/** delivery's status route and delivery-history's history route, as the test scripts them. */
class FakePublicServices {
  /** deliveryId → owning account. */
  readonly owners = new Map<string, string>();
  /** deliveryId → the sequences delivery-history has recorded. */
  readonly recorded = new Map<string, number[]>();
  private server?: Server;
  constructor(private readonly tokensOf: Map<string, string>) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const match = url.pathname.match(/^\/api\/v1\/deliveries\/([^/]+)(\/history)?$/);
      const account = this.tokensOf.get(request.headers.authorization ?? '');
      const deliveryId = match?.[1] ?? '';
      const visible = account !== undefined && this.owners.get(deliveryId) === account;
      if (!match || !visible) {
        response.writeHead(404, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
        return;
      }
      if (!match[2]) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ deliveryId, stage: 'Created' }));
        return;
      }
      // Paged as delivery-history pages: after afterSequence, at most limit, Link to the next.
      const after = Number(url.searchParams.get('afterSequence') ?? 0);
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), HISTORY_PAGE);
      const rest = (this.recorded.get(deliveryId) ?? []).filter((sequence) => sequence > after);
      const page = rest.slice(0, limit);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (rest.length > limit) {
        headers.link =
          `</api/v1/deliveries/${deliveryId}/history?afterSequence=${page.at(-1)}` +
          `&limit=${limit}>; rel="next"`;
      }
      response.writeHead(200, headers);
      response.end(JSON.stringify(page.map((sequence) => historyEntry(deliveryId, sequence))));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const droneOf = (deliveryId: string) => `${deliveryId.slice(0, -4)}d00e`;

function eventData(deliveryId: string, sequence: number): Record<string, unknown> {
  return sequence === 1
    ? {
        deliveryId,
        accountId: ACCOUNT,
        packageId: uuidv7(),
        droneId: droneOf(deliveryId),
        pickup: { lat: 47.61, lng: -122.33 },
        dropoff: { lat: 47.62, lng: -122.34 },
        expedited: false,
        confirmationRequired: 'none',
        pickupEta: new Date().toISOString(),
        dropoffEta: new Date().toISOString(),
      }
    : { deliveryId, droneId: droneOf(deliveryId), location: { lat: 47.61, lng: -122.33 } };
}

/** Created, then InTransit-shaped events: the gateway checks each against its type's schema. */
const eventType = (sequence: number) => (sequence === 1 ? 'DeliveryCreated' : 'DeliveryInTransit');

function historyEntry(deliveryId: string, sequence: number) {
  return {
    eventId: `${deliveryId}-${sequence}`,
    type: sequence === 1 ? 'DeliveryCreated' : 'DeliveryInTransit',
    sequence,
    occurredAt: new Date().toISOString(),
    data: eventData(deliveryId, sequence),
  };
}

/** A WebSocket client that keeps every frame it got. */
class StreamClient {
  readonly frames: Frame[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.frames.push(JSON.parse(data.toString()) as Frame));
  }

  static async connect(
    url: string,
    protocols: string[],
    headers: Record<string, string> = {},
  ): Promise<StreamClient> {
    const ws = new WebSocket(url, protocols, { headers });
    const client = new StreamClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
      ws.once('error', reject);
    });
    return client;
  }

  send(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  sequences(deliveryId: string): number[] {
    return this.frames
      .filter((frame) => frame.type === 'delivery-event' && frame.deliveryId === deliveryId)
      .map((frame) => frame.sequence as number);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = once(this.ws, 'close');
    this.ws.close();
    await closed;
  }
}

/** How the gateway answers an upgrade it refuses. */
function upgradeStatus(url: string, protocols: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('unexpected-response', (_, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', () => undefined);
  });
}

describe('the live stream (/api/v1/stream)', () => {
  const brokers = testKafkaBrokers();
  const tokensOf = new Map<string, string>();
  const services = new FakePublicServices(tokensOf);
  let issuer: TestIssuer;
  let database: TestDatabase;
  let gateway: ServiceProcess;
  let producer: Producer;
  let streamUrl: string;
  let customerToken: string;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    customerToken = await issuer.tokenFor({ accountId: ACCOUNT });
    tokensOf.set(`Bearer ${customerToken}`, ACCOUNT);
    const servicesUrl = await services.start();
    database = await createTestDatabase('api_gateway_stream');
    await ensureTopicsWithDeadLetters(
      brokers,
      [TOPICS.deliveryEvents, TOPICS.droneTelemetry].map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
      })),
    );
    gateway = await startServiceProcess({
      app: 'api-gateway',
      env: {
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: brokers.join(','),
        ...issuer.env,
        SCHEDULER_URL: servicesUrl,
        DELIVERY_URL: servicesUrl,
        DELIVERY_HISTORY_URL: servicesUrl,
        IDENTITY_URL: servicesUrl,
      },
    });
    streamUrl = `${gateway.url.replace('http', 'ws')}/api/v1/stream`;
    producer = new Kafka({
      clientId: 'stream-spec',
      brokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    // The gateway's consumers start at the log end once they have joined their groups; until a
    // first event comes through, a test's event could fall before that point.
    const warmUp = uuidv7();
    services.owners.set(warmUp, ACCOUNT);
    const client = await connect();
    client.send({ type: 'subscribe', deliveryId: warmUp, afterSequence: 0 });
    await subscribed(client, warmUp);
    await waitFor(
      async () => {
        await publish(warmUp, 1);
        return client.sequences(warmUp).includes(1);
      },
      { timeoutMs: 60_000, intervalMs: 500, description: "the gateway's stream consumers live" },
    );
    await client.close();
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await gateway?.stop();
    await Promise.allSettled([producer?.disconnect(), services.stop(), issuer?.stop()]);
    await database?.drop();
  });

  const connect = async () => {
    const client = await StreamClient.connect(streamUrl, [
      'drone-delivery.stream.v1',
      `bearer.${customerToken}`,
    ]);
    clients.push(client);
    return client;
  };

  const newDelivery = (account = ACCOUNT) => {
    const deliveryId = uuidv7();
    services.owners.set(deliveryId, account);
    return deliveryId;
  };

  /** Publishes event `sequence` of a delivery as delivery's outbox relay does. */
  const publish = (deliveryId: string, ...sequences: number[]) =>
    producer.send({
      topic: TOPICS.deliveryEvents.name,
      acks: -1,
      messages: sequences.map((sequence) => ({
        key: deliveryId,
        value: JSON.stringify({
          specversion: '1.0',
          id: `${deliveryId}-${sequence}`,
          source: '/delivery',
          type: DELIVERY_EVENT_TYPES[eventType(sequence) as keyof typeof DELIVERY_EVENT_TYPES],
          subject: deliveryId,
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          sequence,
          data: eventData(deliveryId, sequence),
        }),
      })),
    });

  const subscribed = (client: StreamClient, deliveryId: string) =>
    waitFor(
      () =>
        client.frames.find(
          (frame) => frame.type === 'subscribed' && frame.deliveryId === deliveryId,
        ),
      {
        timeoutMs: 10_000,
        description: `subscribed to ${deliveryId}`,
      },
    );

  it.each([
    ['no token', () => ['drone-delivery.stream.v1']],
    [
      'a forged token',
      async () => [
        'drone-delivery.stream.v1',
        `bearer.${await issuer.forgedToken({ accountId: ACCOUNT })}`,
      ],
    ],
    [
      'an expired token',
      async () => [
        'drone-delivery.stream.v1',
        `bearer.${await issuer.tokenFor({ accountId: ACCOUNT, expiresInSeconds: -60 })}`,
      ],
    ],
  ])('refuses the upgrade with 401 for %s', async (_, protocols) => {
    expect(await upgradeStatus(streamUrl, await protocols())).toBe(401);
  });

  it('accepts the token in an Authorization header too', async () => {
    const client = await StreamClient.connect(streamUrl, ['drone-delivery.stream.v1'], {
      authorization: `Bearer ${customerToken}`,
    });
    clients.push(client);
    expect(client.ws.protocol).toBe('drone-delivery.stream.v1');
  });

  it('replays, streams live, and after a reconnect resumes with every event in sequence', async () => {
    const deliveryId = newDelivery();
    services.recorded.set(deliveryId, [1]);
    const first = await connect();
    first.send({ type: 'subscribe', deliveryId, afterSequence: 0 });
    await subscribed(first, deliveryId);
    await publish(deliveryId, 2);
    await waitFor(() => first.sequences(deliveryId).includes(2), {
      timeoutMs: 10_000,
      description: 'live event 2',
    });
    await first.close();

    // While the client is away: 3 and 4 happen, and delivery-history records them.
    await publish(deliveryId, 3, 4);
    services.recorded.set(deliveryId, [1, 2, 3, 4]);
    const resumed = await connect();
    resumed.send({
      type: 'subscribe',
      deliveryId,
      afterSequence: Math.max(...first.sequences(deliveryId)),
    });
    await subscribed(resumed, deliveryId);
    await publish(deliveryId, 5);
    await waitFor(() => resumed.sequences(deliveryId).includes(5), {
      timeoutMs: 10_000,
      description: 'live event 5',
    });

    const seen = [...first.sequences(deliveryId), ...resumed.sequences(deliveryId)];
    expect([...new Set(seen)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(first.sequences(deliveryId)).toEqual([1, 2]);
    expect(resumed.sequences(deliveryId)).toEqual([3, 4, 5]);
  });

  it('holds a live event whose predecessor delivery-history has not recorded yet, then sends both', async () => {
    const deliveryId = newDelivery();
    services.recorded.set(deliveryId, [1]);
    const client = await connect();
    client.send({ type: 'subscribe', deliveryId, afterSequence: 0 });
    await subscribed(client, deliveryId);

    // 2 was never seen live by this gateway (say, it was published before it started).
    await publish(deliveryId, 3);
    const marker = newDelivery();
    services.recorded.set(marker, []);
    client.send({ type: 'subscribe', deliveryId: marker, afterSequence: 0 });
    await subscribed(client, marker);
    await publish(marker, 1);
    await waitFor(() => client.sequences(marker).includes(1), {
      timeoutMs: 10_000,
      description: 'the marker',
    });
    expect(client.sequences(deliveryId)).toEqual([1]);

    services.recorded.set(deliveryId, [1, 2, 3]);
    await waitFor(() => client.sequences(deliveryId).length === 3, {
      timeoutMs: 10_000,
      description: 'the gap filled',
    });
    expect(client.sequences(deliveryId)).toEqual([1, 2, 3]);
  });

  it("refuses another account's delivery as unknown, and streams none of its events", async () => {
    const theirs = newDelivery(OTHER_ACCOUNT);
    const mine = newDelivery();
    const client = await connect();
    client.send({ type: 'subscribe', deliveryId: theirs, afterSequence: 0 });
    client.send({ type: 'subscribe', deliveryId: mine, afterSequence: 0 });
    await subscribed(client, mine);
    await publish(theirs, 1);
    await publish(mine, 1);
    await waitFor(() => client.sequences(mine).includes(1), {
      timeoutMs: 10_000,
      description: 'my event',
    });

    expect(client.frames.find((frame) => frame.type === 'error')).toMatchObject({
      code: 'not-found',
      deliveryId: theirs,
    });
    expect(client.sequences(theirs)).toEqual([]);
  });

  it('streams the positions of the drone flying a followed delivery', async () => {
    const deliveryId = newDelivery();
    const client = await connect();
    client.send({ type: 'subscribe', deliveryId, afterSequence: 0 });
    await subscribed(client, deliveryId);
    const report = (state: string) => ({
      key: droneOf(deliveryId),
      value: JSON.stringify({
        specversion: '1.0',
        id: uuidv7(),
        source: '/drone-management',
        type: DRONE_TELEMETRY_REPORTED,
        subject: droneOf(deliveryId),
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        sequence: 1,
        data: {
          droneId: droneOf(deliveryId),
          deliveryId,
          state,
          location: { lat: 47.6, lng: -122.3 },
          batteryPercent: 90,
        },
      }),
    });
    await producer.send({
      topic: TOPICS.droneTelemetry.name,
      acks: -1,
      messages: [report('flying-to-pickup')],
    });

    await waitFor(() => client.frames.find((frame) => frame.type === 'position'), {
      timeoutMs: 10_000,
      description: 'a position',
    });
    expect(client.frames.find((frame) => frame.type === 'position')).toMatchObject({
      droneId: droneOf(deliveryId),
      deliveryId,
      state: 'flying-to-pickup',
    });
  });

  it('answers a malformed message with an error frame and keeps the connection', async () => {
    const client = await connect();
    client.send({ type: 'subscribe', deliveryId: 'not-a-uuid' });
    client.ws.send('not json');
    await waitFor(() => client.frames.filter((frame) => frame.type === 'error').length === 2, {
      timeoutMs: 5_000,
      description: 'two error frames',
    });
    expect(client.frames.map((frame) => frame.code)).toEqual(['bad-message', 'bad-message']);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });
});
