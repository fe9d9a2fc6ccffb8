import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { v7 as uuidv7 } from 'uuid';
import {
  DELIVERY_EVENT_TYPES,
  parseDeliveryEvent,
  parseNotificationCommand,
  SEND_NOTIFICATION,
  TOPICS,
  type DeliveryView,
  type ProblemDetails,
  type PutDeliveryRequest,
  type SendNotificationCommand,
  type SendNotificationData,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { deadLetterTopic, DLQ_HEADERS } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  testKafkaBrokers,
  uniqueGroupId,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

/**
 * Notifications, end to end in the delivery service as a real process against real Kafka and
 * Postgres: subscribe over HTTP, change the delivery, and watch what reaches a real SMTP server,
 * a webhook receiver and a fake SMS provider, each on loopback. Topics are shared with other
 * tests, so everything here is told apart by this file's own ids.
 */

/** Whose deliveries these are; the subscriber calls the public routes as its customer. */
const ACCOUNT_ID = '11111111-1111-4111-8111-111111111111';
const SMS_TOKEN = 'sms-provider-token-for-the-notifications-spec';
const SMTP_FROM = 'Drone Delivery Test <notify@drone-delivery.test>';
const MAX_ATTEMPTS = 3;
const COMMANDS_DLQ = deadLetterTopic(TOPICS.notificationCommands.name);
const EVENTS_DLQ = deadLetterTopic(TOPICS.deliveryEvents.name);

// ---- the outside world the notifier talks to ----

interface ReceivedEmail {
  from: string;
  to: string[];
  headers: Map<string, string>;
  text: string;
}

interface ReceivedHttpCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Header lines of a raw message (folded lines joined), by lower-case name. */
function parseEmail(raw: string, from: string, to: string[]): ReceivedEmail {
  const [head, ...body] = raw.split('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoded = body.join('\r\n');
  const text =
    headers.get('content-transfer-encoding') === 'quoted-printable'
      ? encoded
          .replace(/=\r\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      : encoded;
  return { from, to, headers, text: text.trim() };
}

/** An SMTP server on loopback that accepts every message and keeps it. */
async function startSmtpServer(): Promise<{
  port: number;
  emails: ReceivedEmail[];
  close(): Promise<void>;
}> {
  const emails: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        emails.push(
          parseEmail(
            Buffer.concat(chunks).toString('utf8'),
            mailFrom ? mailFrom.address : '',
            rcptTo.map((recipient) => recipient.address),
          ),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    emails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An HTTP server on loopback that keeps every call and answers with `status(path)`. */
async function startHttpReceiver(
  status: (path: string) => number,
): Promise<{ url: string; calls: ReceivedHttpCall[]; close(): Promise<void> }> {
  const calls: ReceivedHttpCall[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      calls.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status(path)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a webhook receiver does with the secret it was given: check the call is ours. */
function hasValidSignature(call: ReceivedHttpCall, secret: string): boolean {
  const timestamp = String(call.headers['x-drone-delivery-timestamp']);
  const signature = String(call.headers['x-drone-delivery-signature']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${call.body}`).digest('hex')}`;
  const fresh = Math.abs(Date.now() / 1_000 - Number(timestamp)) < 300;
  return (
    fresh &&
    signature.length === expected.length &&
    timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

// ---- Kafka, as an operator and as a misbehaving producer ----

interface ReceivedMessage {
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

const received: ReceivedMessage[] = [];

const kafkaClient = (brokers: string[]) =>
  new Kafka({ clientId: 'delivery-notifications-test', brokers, logLevel: logLevel.NOTHING });

async function startTopicReader(brokers: string[]): Promise<Consumer> {
  const consumer = kafkaClient(brokers).consumer({
    groupId: uniqueGroupId('delivery-notifications-reader'),
  });
  await consumer.connect();
  await consumer.subscribe({
    topics: [
      TOPICS.deliveryEvents.name,
      TOPICS.notificationCommands.name,
      COMMANDS_DLQ,
      EVENTS_DLQ,
    ],
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

async function waitForMessages(
  topic: string,
  key: string,
  count: number,
): Promise<ReceivedMessage[]> {
  return waitFor(
    () => {
      const messages = received.filter((message) => message.topic === topic && message.key === key);
      return messages.length >= count && messages;
    },
    { timeoutMs: 30_000, description: `${count} messages keyed ${key} on ${topic}` },
  );
}

// ---- the service under test ----

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

interface SubscriptionView {
  subscriptionId: string;
  deliveryId: string;
  email?: string;
  sms?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  createdAt: string;
}

function putRequest(): PutDeliveryRequest {
  const inAnHour = Date.now() + 3_600_000;
  return {
    accountId: ACCOUNT_ID,
    packageId: uuidv7(),
    droneId: uuidv7(),
    pickup: { lat: 47.6101, lng: -122.3421 },
    dropoff: { lat: 47.6205, lng: -122.3493 },
    expedited: false,
    confirmationRequired: 'none',
    pickupEta: new Date(inAnHour).toISOString(),
    dropoffEta: new Date(inAnHour + 1_200_000).toISOString(),
  };
}

/** An address, a number and a webhook path no other test uses. */
function uniqueSubscriber() {
  const id = uuidv7();
  const digits =
    String(Date.now()).slice(-8) + String(Math.floor(Math.random() * 1_000)).padStart(3, '0');
  return { email: `subscriber-${id}@example.com`, sms: `+1${digits}`, hook: `/hooks/${id}` };
}

describe('delivery notifications', () => {
  const brokers = testKafkaBrokers();
  const matcherGroup = uniqueGroupId('delivery-notification-matcher-spec');
  const notifierGroup = uniqueGroupId('delivery-notifier-spec');
  let database: TestDatabase;
  let service: ServiceProcess;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let webhooks: Awaited<ReturnType<typeof startHttpReceiver>>;
  let smsProvider: Awaited<ReturnType<typeof startHttpReceiver>>;
  let reader: Consumer;
  let producer: Producer;
  let db: Client;
  let issuer: TestIssuer;
  const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });

  beforeAll(async () => {
    [database, smtp, webhooks, smsProvider, issuer] = await Promise.all([
      createTestDatabase('delivery_notifications'),
      startSmtpServer(),
      startHttpReceiver((path) => (path.startsWith('/hooks/broken') ? 500 : 204)),
      startHttpReceiver(() => 202),
      startTestIssuer(),
    ]);
    service = await startServiceProcess({
      app: 'delivery',
      env: {
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'error',
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_GROUP_ID: uniqueGroupId('delivery-notifications-telemetry'),
        NOTIFICATION_MATCHER_GROUP_ID: matcherGroup,
        NOTIFIER_GROUP_ID: notifierGroup,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        SMTP_FROM,
        SMS_PROVIDER_URL: `${smsProvider.url}/v1/messages`,
        SMS_PROVIDER_TOKEN: SMS_TOKEN,
        NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        NOTIFY_BACKOFF_MS: '50',
        NOTIFY_BACKOFF_MAX_MS: '200',
        // The receiver of this file on loopback, and nothing else there: by host and port.
        WEBHOOK_ALLOWED_HOSTS: new URL(webhooks.url).host,
        WEBHOOK_ALLOW_HTTP: 'true',
      },
    });
    reader = await startTopicReader(brokers);
    producer = kafkaClient(brokers).producer();
    await producer.connect();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.allSettled([reader?.disconnect(), producer?.disconnect(), db?.end()]);
    await service?.stop();
    await Promise.allSettled([
      smtp?.close(),
      webhooks?.close(),
      smsProvider?.close(),
      issuer?.stop(),
    ]);
    await database?.drop();
  });

  async function call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<Answer<T>> {
    const internal = path.startsWith('/internal/');
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        // Internal routes take a service token; public ones the access token of a customer.
        authorization: internal
          ? `Bearer ${await tokens.tokenFor('delivery')}`
          : await issuer.bearer({ accountId: ACCOUNT_ID }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as T,
      headers: response.headers,
    };
  }

  const subscribe = (deliveryId: string, body: unknown) =>
    call<SubscriptionView>('POST', `/api/v1/deliveries/${deliveryId}/notifications`, body);

  /**
   * A new delivery. Unless told otherwise, one whose DeliveryCreated the matcher has already
   * handled, so a subscription made now hears of the changes that follow and of nothing before.
   */
  async function createDelivery({ matched = true } = {}): Promise<DeliveryView> {
    const answer = await call<DeliveryView>(
      'PUT',
      `/internal/v1/deliveries/${uuidv7()}`,
      putRequest(),
    );
    expect(answer.status).toBe(201);
    if (!matched) return answer.body;
    await waitFor(
      async () => {
        const { rows } = await db.query(
          `SELECT 1 FROM inbox JOIN outbox ON outbox.id::text = inbox.event_id
            WHERE inbox.consumer = 'notification-matcher' AND outbox.delivery_id = $1`,
          [answer.body.deliveryId],
        );
        return rows.length === 1;
      },
      { timeoutMs: 30_000, description: 'the matcher to handle DeliveryCreated' },
    );
    return answer.body;
  }

  async function deliveryEvent(deliveryId: string, sequence: number): Promise<ReceivedMessage> {
    const messages = await waitForMessages(TOPICS.deliveryEvents.name, deliveryId, sequence);
    const found = messages.find(
      (message) => parseDeliveryEvent(message.value).sequence === sequence,
    );
    if (!found) throw new Error(`no event ${sequence} of delivery ${deliveryId}`);
    return found;
  }

  /** What the consumer `group` dead-lettered from `topic`, keyed `key`. */
  const deadLetters = (topic: string, key: string, group: string) =>
    received.filter(
      (message) =>
        message.topic === topic &&
        message.key === key &&
        message.headers[DLQ_HEADERS.consumerGroup]?.startsWith(group),
    );

  const emailsTo = (address: string) => smtp.emails.filter((email) => email.to.includes(address));
  const hooksAt = (path: string) => webhooks.calls.filter((hook) => hook.path === path);
  const smsTo = (number: string) =>
    smsProvider.calls
      .map((call) => ({ ...call, json: JSON.parse(call.body) as { to: string; body: string } }))
      .filter((call) => call.json.to === number);

  async function notificationRecords(subscriptionId: string) {
    const { rows } = await db.query<{
      event_id: string;
      channel: string;
      status: string;
      attempts: number;
      last_error: string | null;
      sent_at: Date | null;
    }>(
      `SELECT event_id, channel, status, attempts, last_error, sent_at FROM notification_deliveries
        WHERE subscription_id = $1 ORDER BY event_id, channel`,
      [subscriptionId],
    );
    return rows;
  }

  describe('subscribing', () => {
    let delivery: DeliveryView;

    beforeAll(async () => {
      delivery = await createDelivery({ matched: false });
    });

    it('answers 201 with the subscription, a Location and a webhook secret shown only once', async () => {
      const subscriber = uniqueSubscriber();
      const webhookUrl = `${webhooks.url}${subscriber.hook}`;

      const answer = await subscribe(delivery.deliveryId, {
        email: subscriber.email,
        sms: subscriber.sms,
        webhookUrl,
      });

      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        subscriptionId: expect.any(String) as string,
        deliveryId: delivery.deliveryId,
        email: subscriber.email,
        sms: subscriber.sms,
        webhookUrl,
        webhookSecret: expect.stringMatching(/^whsec_[\w-]{40,}$/) as string,
        createdAt: expect.any(String) as string,
        notifications: [],
      });
      const location = `/api/v1/deliveries/${delivery.deliveryId}/notifications/${answer.body.subscriptionId}`;
      expect(answer.headers.get('location')).toBe(location);
      const read = await call<SubscriptionView>('GET', location);
      expect(read.status).toBe(200);
      const { webhookSecret, ...withoutSecret } = answer.body;
      expect(webhookSecret).toBeDefined();
      expect(read.body).toEqual(withoutSecret);
    });

    it('takes each channel alone, with no secret unless there is a webhook', async () => {
      const answer = await subscribe(delivery.deliveryId, { sms: '+4915112345678' });

      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        subscriptionId: expect.any(String) as string,
        deliveryId: delivery.deliveryId,
        sms: '+4915112345678',
        createdAt: expect.any(String) as string,
        notifications: [],
      });
    });

    it('takes addresses at their limits: 8 and 15 digits, an e-mail of 254 characters', async () => {
      const longEmail = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
      expect(longEmail).toHaveLength(254);

      for (const body of [
        { sms: '+12345678' },
        { sms: '+123456789012345' },
        { email: longEmail },
      ]) {
        const answer = await subscribe(delivery.deliveryId, body);
        expect(answer.status).toBe(201);
        expect(answer.body).toMatchObject(body);
      }
    });

    it.each([
      ['no channel at all', {}, 'body'],
      ['an e-mail that is no address', { email: 'ada at example.com' }, 'email'],
      ['an SMS number without +', { sms: '14255550100' }, 'sms'],
      ['an SMS number too short', { sms: '+1425555' }, 'sms'],
      ['an SMS number with spaces', { sms: '+1 425 555 0100' }, 'sms'],
      ['a webhook that is not http(s)', { webhookUrl: 'ftp://example.com/hook' }, 'webhookUrl'],
      ['a webhook that is no URL', { webhookUrl: 'example' }, 'webhookUrl'],
      ['a null channel', { email: null }, 'email'],
      ['an unknown field', { email: 'ada@example.com', pigeon: 'yes' }, 'pigeon'],
      // What the API once took and the matcher, the notifier or the database then refused.
      ['an internationalised e-mail', { email: 'ü@example.com' }, 'email'],
      ['an e-mail with NUL', { email: 'ada\u0000@example.com' }, 'email'],
      ['an e-mail of 10,000 characters', { email: `${'a'.repeat(9_988)}@example.com` }, 'email'],
      ['an SMS number of 16 digits', { sms: '+1234567890123456' }, 'sms'],
      ['an SMS number with NUL', { sms: '+14255550100\u0000' }, 'sms'],
      ['a webhook scheme in capitals', { webhookUrl: 'HTTPS://example.com/hook' }, 'webhookUrl'],
      ['a webhook with NUL', { webhookUrl: 'https://example.com/\u0000' }, 'webhookUrl'],
      [
        'a webhook of 2,049 characters',
        { webhookUrl: `https://example.com/${'x'.repeat(2_029)}` },
        'webhookUrl',
      ],
      ['an unknown field holding NUL', { email: 'ada@example.com', note: '\u0000' }, 'note'],
      ['a list for a body', ['ada@example.com'], 'body'],
      // Server-side request forgery: internal endpoints, cloud metadata, other services.
      ['loopback', { webhookUrl: 'http://127.0.0.1:3004/internal/v1/drones' }, 'webhookUrl'],
      ['cloud metadata', { webhookUrl: 'http://169.254.169.254/latest/meta-data' }, 'webhookUrl'],
      [
        'a service name',
        { webhookUrl: 'http://drone-management:3004/internal/v1/drones' },
        'webhookUrl',
      ],
      ['a private address', { webhookUrl: 'http://10.0.0.1/' }, 'webhookUrl'],
      ['IPv6 loopback', { webhookUrl: 'http://[::1]:3001/' }, 'webhookUrl'],
    ])('answers 400 for %s, naming the field', async (_, body, field) => {
      const answer = await subscribe(delivery.deliveryId, body);

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(answer.body).toMatchObject({ status: 400 });
      expect((answer.body as unknown as ProblemDetails).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    });

    it('says why a webhook is refused', async () => {
      const answers = await Promise.all(
        [
          'http://127.0.0.1:3004/internal/v1/drones',
          'http://drone-management:3004/internal/v1/drones',
          'http://[::ffff:169.254.169.254]/latest/meta-data',
        ].map((webhookUrl) => subscribe(delivery.deliveryId, { webhookUrl })),
      );

      expect(answers.map((answer) => (answer.body as unknown as ProblemDetails).errors)).toEqual([
        [{ field: 'webhookUrl', message: expect.stringMatching(/127\.0\.0\.1, not a public/) }],
        [{ field: 'webhookUrl', message: expect.stringMatching(/by its domain name/) }],
        [{ field: 'webhookUrl', message: expect.stringMatching(/not a public address/) }],
      ]);
    });

    it('answers 413, not 500, for a body far too large', async () => {
      const answer = await subscribe(delivery.deliveryId, { email: 'a'.repeat(300_000) });

      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ status: 413 });
    });

    it('answers 400 for a delivery id that is not a UUID and 404 for an unknown delivery', async () => {
      const notUuid = await subscribe('not-a-uuid', { email: 'ada@example.com' });
      expect(notUuid.status).toBe(400);

      const unknown = uuidv7();
      const missing = await subscribe(unknown, { email: 'ada@example.com' });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        status: 404,
        detail: expect.stringContaining(unknown) as string,
      });

      const noSuchSubscription = await call(
        'GET',
        `/api/v1/deliveries/${delivery.deliveryId}/notifications/${uuidv7()}`,
      );
      expect(noSuchSubscription.status).toBe(404);
    });
  });

  describe('notifying', () => {
    it('tells every channel once per event, even when an event and its commands arrive twice', async () => {
      const delivery = await createDelivery();
      const subscriber = uniqueSubscriber();
      const subscribed = await subscribe(delivery.deliveryId, {
        email: subscriber.email,
        sms: subscriber.sms,
        webhookUrl: `${webhooks.url}${subscriber.hook}`,
      });
      expect(subscribed.status).toBe(201);
      const { subscriptionId, webhookSecret } = subscribed.body;
      const internal = `/internal/v1/deliveries/${delivery.deliveryId}`;

      // Rescheduled: one e-mail, one SMS, one webhook.
      const dropoff = { lat: 47.63, lng: -122.36 };
      expect((await call('PATCH', internal, { dropoff })).status).toBe(200);
      await waitFor(
        () =>
          emailsTo(subscriber.email).length >= 1 &&
          smsTo(subscriber.sms).length >= 1 &&
          hooksAt(subscriber.hook).length >= 1,
        { timeoutMs: 30_000, description: 'the reschedule on every channel' },
      );

      // The matcher sees the event again, and the notifier each of its commands again.
      const rescheduled = await deliveryEvent(delivery.deliveryId, 2);
      const rescheduledCommands = await waitForMessages(
        TOPICS.notificationCommands.name,
        subscriptionId,
        3,
      );
      await producer.send({
        topic: TOPICS.deliveryEvents.name,
        acks: -1,
        messages: [
          { key: rescheduled.key, value: rescheduled.value, headers: rescheduled.headers },
        ],
      });
      await producer.send({
        topic: TOPICS.notificationCommands.name,
        acks: -1,
        messages: rescheduledCommands.map(({ key, value, headers }) => ({ key, value, headers })),
      });

      // Cancelled after them on the same partitions: once its notifications are in, the
      // duplicates have been handled.
      expect((await call('DELETE', internal)).status).toBe(200);
      await waitFor(
        () =>
          emailsTo(subscriber.email).some((email) =>
            /cancelled/.test(email.headers.get('subject') ?? ''),
          ) &&
          smsTo(subscriber.sms).some((sms) => /cancelled/.test(sms.json.body)) &&
          hooksAt(subscriber.hook).some((hook) => hook.body.includes('DeliveryCancelled')),
        { timeoutMs: 30_000, description: 'the cancellation on every channel' },
      );

      const cancelled = parseDeliveryEvent((await deliveryEvent(delivery.deliveryId, 3)).value);
      const rescheduledEvent = parseDeliveryEvent(rescheduled.value);
      expect(rescheduledEvent.type).toBe(DELIVERY_EVENT_TYPES.DeliveryRescheduled);
      expect(cancelled.type).toBe(DELIVERY_EVENT_TYPES.DeliveryCancelled);

      // E-mail: to the subscriber, from the configured sender, one per event.
      const emails = emailsTo(subscriber.email);
      expect(emails.map((email) => email.headers.get('subject'))).toEqual([
        'Your delivery has been rescheduled',
        'Your delivery has been cancelled',
      ]);
      for (const email of emails) {
        expect(email.to).toEqual([subscriber.email]);
        expect(email.headers.get('from')).toBe(SMTP_FROM);
        expect(email.text).toContain(delivery.deliveryId);
      }
      expect(emails[1].text).toBe(
        `Delivery ${delivery.deliveryId} has been cancelled; it will not be delivered.`,
      );

      // SMS: through the provider, with its token, one per event.
      const texts = smsTo(subscriber.sms);
      expect(texts.map((sms) => sms.json)).toEqual([
        { to: subscriber.sms, body: expect.stringContaining('has a new plan') as string },
        {
          to: subscriber.sms,
          body: `Delivery ${delivery.deliveryId} has been cancelled; it will not be delivered.`,
        },
      ]);
      for (const sms of texts) {
        expect(sms.path).toBe('/v1/messages');
        expect(sms.headers.authorization).toBe(`Bearer ${SMS_TOKEN}`);
      }

      // Webhook: signed with the secret the subscriber got, one per event.
      const hooks = hooksAt(subscriber.hook);
      expect(hooks).toHaveLength(2);
      for (const hook of hooks) {
        expect(hasValidSignature(hook, webhookSecret ?? '')).toBe(true);
        expect(hasValidSignature(hook, 'whsec_someone-elses-secret')).toBe(false);
      }
      expect(hooks.map((hook) => JSON.parse(hook.body) as unknown)).toEqual([
        {
          subscriptionId,
          deliveryId: delivery.deliveryId,
          eventId: rescheduledEvent.id,
          eventType: 'DeliveryRescheduled',
          occurredAt: rescheduledEvent.time,
          subject: 'Your delivery has been rescheduled',
          text: expect.stringContaining(delivery.deliveryId) as string,
        },
        {
          subscriptionId,
          deliveryId: delivery.deliveryId,
          eventId: cancelled.id,
          eventType: 'DeliveryCancelled',
          occurredAt: cancelled.time,
          subject: 'Your delivery has been cancelled',
          text: `Delivery ${delivery.deliveryId} has been cancelled; it will not be delivered.`,
        },
      ]);

      // The commands: one per channel and event, keyed and numbered by subscription. The
      // duplicates this test produced are the only repeats on the topic.
      const commands = (
        await waitForMessages(TOPICS.notificationCommands.name, subscriptionId, 9)
      ).map((message) => parseNotificationCommand(message.value));
      const distinct = [...new Map(commands.map((command) => [command.id, command])).values()];
      expect(commands).toHaveLength(9);
      expect(
        distinct.map((command) => [command.sequence, command.data.eventType, command.data.channel]),
      ).toEqual([
        [1, 'DeliveryRescheduled', 'email'],
        [2, 'DeliveryRescheduled', 'sms'],
        [3, 'DeliveryRescheduled', 'webhook'],
        [4, 'DeliveryCancelled', 'email'],
        [5, 'DeliveryCancelled', 'sms'],
        [6, 'DeliveryCancelled', 'webhook'],
      ]);
      expect(distinct[0]).toMatchObject<Partial<SendNotificationCommand>>({
        specversion: '1.0',
        type: SEND_NOTIFICATION,
        source: '/delivery',
        subject: subscriptionId,
      });
      expect(distinct.map((command) => command.data.target)).toEqual([
        subscriber.email,
        subscriber.sms,
        `${webhooks.url}${subscriber.hook}`,
        subscriber.email,
        subscriber.sms,
        `${webhooks.url}${subscriber.hook}`,
      ]);

      // The matcher skipped the repeated event (its inbox), rather than failing on it.
      expect(deadLetters(EVENTS_DLQ, delivery.deliveryId, matcherGroup)).toEqual([]);
      const { rows: outbox } = await db.query(
        'SELECT 1 FROM notification_outbox WHERE subscription_id = $1',
        [subscriptionId],
      );
      expect(outbox).toHaveLength(6);

      // And what the notifier recorded: six notifications, each sent at the first attempt.
      const records = await notificationRecords(subscriptionId);
      expect(records).toHaveLength(6);
      for (const record of records) {
        expect(record).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
        expect(record.sent_at).toBeInstanceOf(Date);
      }
    });

    it(`retries a webhook answering 500 ${MAX_ATTEMPTS} times, records it failed, and still e-mails`, async () => {
      const delivery = await createDelivery();
      const subscriber = uniqueSubscriber();
      const brokenHook = `/hooks/broken-${uuidv7()}`;
      const subscribed = await subscribe(delivery.deliveryId, {
        email: subscriber.email,
        webhookUrl: `${webhooks.url}${brokenHook}`,
      });
      expect(subscribed.status).toBe(201);
      const { subscriptionId } = subscribed.body;

      expect((await call('DELETE', `/internal/v1/deliveries/${delivery.deliveryId}`)).status).toBe(
        200,
      );

      const records = await waitFor(
        async () => {
          const rows = await notificationRecords(subscriptionId);
          return rows.length === 2 && rows;
        },
        { timeoutMs: 30_000, description: 'both notifications recorded' },
      );
      const byChannel = Object.fromEntries(records.map((record) => [record.channel, record]));
      expect(byChannel.webhook).toMatchObject({
        status: 'failed',
        attempts: MAX_ATTEMPTS,
        last_error: 'the webhook answered 500',
        sent_at: null,
      });
      expect(byChannel.email).toMatchObject({ status: 'sent', attempts: 1 });
      expect(hooksAt(brokenHook)).toHaveLength(MAX_ATTEMPTS);
      expect(emailsTo(subscriber.email).map((email) => email.headers.get('subject'))).toEqual([
        'Your delivery has been cancelled',
      ]);
      // Recorded, not dead-lettered: the command counts as handled.
      expect(deadLetters(COMMANDS_DLQ, subscriptionId, notifierGroup)).toEqual([]);
    });

    it('tells the other subscribers of a delivery when one has an address it cannot use', async () => {
      const delivery = await createDelivery();
      const subscriber = uniqueSubscriber();
      // A row from before the rule, straight into the database: the API refuses this address.
      const unusable = uuidv7();
      await db.query(
        `INSERT INTO notification_subscriptions (id, delivery_id, email, created_at)
         VALUES ($1, $2, 'ü@example.com', now() - interval '1 minute')`,
        [unusable, delivery.deliveryId],
      );
      const subscribed = await subscribe(delivery.deliveryId, { email: subscriber.email });
      expect(subscribed.status).toBe(201);
      const { subscriptionId } = subscribed.body;

      expect((await call('DELETE', `/internal/v1/deliveries/${delivery.deliveryId}`)).status).toBe(
        200,
      );

      await waitFor(() => emailsTo(subscriber.email).length === 1, {
        timeoutMs: 30_000,
        description: 'the cancellation e-mailed to the good subscriber',
      });
      await waitFor(async () => (await notificationRecords(subscriptionId))[0]?.status === 'sent', {
        timeoutMs: 30_000,
        description: "the good subscriber's e-mail recorded sent",
      });
      const cancelled = parseDeliveryEvent((await deliveryEvent(delivery.deliveryId, 2)).value);
      // The unusable one: recorded failed with the reason, no command, nothing sent.
      expect(await notificationRecords(unusable)).toEqual([
        {
          event_id: cancelled.id,
          channel: 'email',
          status: 'failed',
          attempts: 0,
          last_error: expect.stringMatching(/^not sent: the email target must be/) as string,
          sent_at: null,
        },
      ]);
      const { rows: commands } = await db.query(
        'SELECT 1 FROM notification_outbox WHERE subscription_id = $1',
        [unusable],
      );
      expect(commands).toEqual([]);
      expect(emailsTo('ü@example.com')).toEqual([]);
      // And the delivery event went on: handled, not dead-lettered.
      expect(deadLetters(EVENTS_DLQ, delivery.deliveryId, matcherGroup)).toEqual([]);

      const view = await call<SubscriptionView & { notifications: unknown[] }>(
        'GET',
        `/api/v1/deliveries/${delivery.deliveryId}/notifications/${unusable}`,
      );
      expect(view.body.notifications).toEqual([
        {
          eventId: cancelled.id,
          channel: 'email',
          status: 'failed',
          attempts: 0,
          lastError: expect.stringMatching(/e-mail address/) as string,
          updatedAt: expect.any(String) as string,
        },
      ]);
      const good = await call<SubscriptionView & { notifications: unknown[] }>(
        'GET',
        `/api/v1/deliveries/${delivery.deliveryId}/notifications/${subscriptionId}`,
      );
      expect(good.body.notifications).toMatchObject([
        { eventId: cancelled.id, channel: 'email', status: 'sent', attempts: 1 },
      ]);
    });

    it('refuses, at send time, a stored webhook it will not call', async () => {
      const delivery = await createDelivery();
      const hook = `/hooks/${uuidv7()}`;
      // The receiver, but by a name the allow-list does not hold: what an old row or a DNS
      // answer changed since subscribing can point at.
      const subscriptionId = uuidv7();
      await db.query(
        `INSERT INTO notification_subscriptions (id, delivery_id, webhook_url, webhook_secret)
         VALUES ($1, $2, $3, 'whsec_old-row')`,
        [
          subscriptionId,
          delivery.deliveryId,
          `http://localhost:${new URL(webhooks.url).port}${hook}`,
        ],
      );

      expect((await call('DELETE', `/internal/v1/deliveries/${delivery.deliveryId}`)).status).toBe(
        200,
      );

      const [record] = await waitFor(
        async () => {
          const rows = await notificationRecords(subscriptionId);
          return rows.length === 1 && rows;
        },
        { timeoutMs: 30_000, description: 'the webhook notification recorded' },
      );
      // Refused once, not retried: it cannot succeed.
      expect(record).toMatchObject({ channel: 'webhook', status: 'failed', attempts: 1 });
      expect(record.last_error).toMatch(/public host/);
      expect(hooksAt(hook)).toEqual([]);
    });

    it('dead-letters forged commands: it sends only to the address stored with the subscription', async () => {
      const [delivery, otherDelivery] = await Promise.all([createDelivery(), createDelivery()]);
      const subscriber = uniqueSubscriber();
      const webhookUrl = `${webhooks.url}${subscriber.hook}`;
      const subscribed = await subscribe(delivery.deliveryId, { webhookUrl });
      expect(subscribed.status).toBe(201);
      const { subscriptionId, webhookSecret } = subscribed.body;
      const attackerHook = `/hooks/attacker-${uuidv7()}`;
      const stranger = uuidv7();

      // Well-formed commands nobody in the service wrote, as anyone able to produce could.
      const forge = (data: Partial<SendNotificationData>): SendNotificationCommand => {
        const forged = {
          subscriptionId,
          deliveryId: delivery.deliveryId,
          eventId: uuidv7(),
          eventType: 'DeliveryCompleted' as const,
          occurredAt: new Date().toISOString(),
          channel: 'webhook' as const,
          target: webhookUrl,
          subject: 'Your delivery has arrived',
          text: 'Your parcel is at the back door.',
          ...data,
        };
        return parseNotificationCommand({
          specversion: '1.0',
          id: uuidv7(),
          source: '/delivery',
          type: SEND_NOTIFICATION,
          subject: forged.subscriptionId,
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          sequence: 1,
          data: forged,
        });
      };
      const forgeries = [
        [forge({ target: `${webhooks.url}${attackerHook}` }), /target is not the one/],
        [forge({ deliveryId: otherDelivery.deliveryId }), /is not one of delivery/],
        [forge({ channel: 'email', target: 'attacker@example.com' }), /email target is not/],
        [forge({ subscriptionId: stranger }), /there is no subscription/],
      ] as const;
      await producer.send({
        topic: TOPICS.notificationCommands.name,
        acks: -1,
        messages: forgeries.map(([command]) => ({
          key: command.subject,
          value: JSON.stringify(command),
        })),
      });
      // A real notification after them on the subscription's partition: once it is in, the
      // forgeries have been handled.
      expect((await call('DELETE', `/internal/v1/deliveries/${delivery.deliveryId}`)).status).toBe(
        200,
      );
      await waitFor(() => hooksAt(subscriber.hook).length >= 1, {
        timeoutMs: 30_000,
        description: 'the real cancellation at the webhook',
      });

      const letters = await waitFor(
        () => {
          const found = forgeries.map(([command]) =>
            deadLetters(COMMANDS_DLQ, command.subject, notifierGroup).find(
              (letter) => (JSON.parse(letter.value) as { id: string }).id === command.id,
            ),
          );
          return found.every((letter) => letter !== undefined) && found;
        },
        { timeoutMs: 30_000, description: 'every forged command dead-lettered' },
      );
      letters.forEach((letter, index) => {
        expect(letter?.headers[DLQ_HEADERS.errorMessage]).toMatch(forgeries[index][1]);
      });
      expect(hooksAt(attackerHook)).toEqual([]);
      expect(emailsTo('attacker@example.com')).toEqual([]);
      const hooks = hooksAt(subscriber.hook);
      expect(
        hooks.map((hook) => (JSON.parse(hook.body) as { eventType: string }).eventType),
      ).toEqual(['DeliveryCancelled']);
      expect(hasValidSignature(hooks[0], webhookSecret ?? '')).toBe(true);
      expect(await notificationRecords(subscriptionId)).toMatchObject([{ status: 'sent' }]);
    });

    it('dead-letters a malformed command with the reason, and sends nothing for it', async () => {
      const subscriptionId = uuidv7();
      const broken = {
        specversion: '1.0',
        id: uuidv7(),
        source: '/delivery',
        type: SEND_NOTIFICATION,
        subject: subscriptionId,
        time: new Date().toISOString(),
        sequence: 1,
        data: { subscriptionId, channel: 'pigeon', target: 'the roof' },
      };
      await producer.send({
        topic: TOPICS.notificationCommands.name,
        acks: -1,
        messages: [{ key: subscriptionId, value: JSON.stringify(broken) }],
      });

      const [letter] = await waitFor(
        () => {
          const letters = deadLetters(COMMANDS_DLQ, subscriptionId, notifierGroup);
          return letters.length > 0 && letters;
        },
        { timeoutMs: 30_000, description: 'the malformed command dead-lettered' },
      );
      expect(letter.headers[DLQ_HEADERS.errorType]).toBe('InvalidMessageError');
      expect(letter.headers[DLQ_HEADERS.attempts]).toBe('1');
      expect(letter.headers[DLQ_HEADERS.errorMessage]).toMatch(/\/channel/);
      expect(JSON.parse(letter.value)).toEqual(broken);
    });
  });
});

describe('delivery notifications on channels the deployment has not configured', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let db: Client;
  let issuer: TestIssuer;
  const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_notifications_unconfigured'),
      startTestIssuer(),
    ]);
    // No SMTP_URL, no SMS provider: only webhooks could be sent.
    service = await startServiceProcess({
      app: 'delivery',
      env: {
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'error',
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        KAFKA_GROUP_ID: uniqueGroupId('delivery-unconfigured-telemetry'),
        NOTIFICATION_MATCHER_GROUP_ID: uniqueGroupId('delivery-unconfigured-matcher'),
        NOTIFIER_GROUP_ID: uniqueGroupId('delivery-unconfigured-notifier'),
        SMTP_URL: '',
      },
    });
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  it('takes by default only https webhooks to public hosts', async () => {
    const deliveryId = uuidv7();
    const put = await fetch(`${service.url}/internal/v1/deliveries/${deliveryId}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await tokens.tokenFor('delivery')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(putRequest()),
    });
    expect(put.status).toBe(201);
    const subscribeWebhook = async (webhookUrl: string) => {
      const answer = await fetch(`${service.url}/api/v1/deliveries/${deliveryId}/notifications`, {
        method: 'POST',
        headers: {
          authorization: await issuer.bearer({ accountId: ACCOUNT_ID }),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ webhookUrl }),
      });
      return { status: answer.status, body: (await answer.json()) as ProblemDetails };
    };

    const refused = [
      'http://hooks.example.com/deliveries',
      'https://127.0.0.1:3004/internal/v1/drones',
      'https://169.254.169.254/latest/meta-data',
      'https://drone-management:3004/internal/v1/drones',
      'https://10.0.0.1/',
      'https://[::1]:3001/',
      'https://100.64.0.1/',
      'https://[fd00::1]/',
    ];
    for (const webhookUrl of refused) {
      const answer = await subscribeWebhook(webhookUrl);
      expect({ webhookUrl, status: answer.status, fields: answer.body.errors }).toEqual({
        webhookUrl,
        status: 400,
        fields: [{ field: 'webhookUrl', message: expect.any(String) as string }],
      });
    }
    expect((await subscribeWebhook(refused[0])).body.errors?.[0].message).toMatch(/https/);
    // .invalid never resolves: the DeliveryCreated it may hear of calls nobody.
    expect((await subscribeWebhook('https://hooks.example.invalid/deliveries')).status).toBe(201);
  });

  it('records e-mail and SMS as failed, saying which setting is missing', async () => {
    const deliveryId = uuidv7();
    const put = await fetch(`${service.url}/internal/v1/deliveries/${deliveryId}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await tokens.tokenFor('delivery')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(putRequest()),
    });
    expect(put.status).toBe(201);
    const subscribed = await fetch(`${service.url}/api/v1/deliveries/${deliveryId}/notifications`, {
      method: 'POST',
      headers: {
        authorization: await issuer.bearer({ accountId: ACCOUNT_ID }),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ email: 'ada@example.com', sms: '+14255550100' }),
    });
    expect(subscribed.status).toBe(201);
    const { subscriptionId } = (await subscribed.json()) as SubscriptionView;

    // DeliveryCreated may or may not have reached the matcher before the subscription: a
    // reschedule certainly comes after it.
    const patched = await fetch(`${service.url}/internal/v1/deliveries/${deliveryId}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${await tokens.tokenFor('delivery')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ dropoff: { lat: 47.64, lng: -122.37 } }),
    });
    expect(patched.status).toBe(200);

    const records = await waitFor(
      async () => {
        const { rows } = await db.query<{
          channel: string;
          status: string;
          attempts: number;
          last_error: string;
        }>(
          `SELECT d.channel, d.status, d.attempts, d.last_error
             FROM notification_deliveries d JOIN notification_outbox o
               ON o.subscription_id = d.subscription_id AND o.event_id = d.event_id AND o.channel = d.channel
            WHERE d.subscription_id = $1 AND o.payload->'data'->>'eventType' = 'DeliveryRescheduled'
            ORDER BY d.channel`,
          [subscriptionId],
        );
        return rows.length === 2 && rows;
      },
      { timeoutMs: 30_000, description: 'both notifications recorded' },
    );
    expect(records).toEqual([
      {
        channel: 'email',
        status: 'failed',
        attempts: 0,
        last_error: expect.stringMatching(/SMTP_URL is not set/) as string,
      },
      {
        channel: 'sms',
        status: 'failed',
        attempts: 0,
        last_error: expect.stringMatching(/SMS_PROVIDER_URL/) as string,
      },
    ]);
  });
});
