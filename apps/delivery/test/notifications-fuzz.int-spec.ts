import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  DELIVERY_EVENT_SOURCE,
  DELIVERY_EVENT_TYPES,
  NOTIFICATION_COMMAND_SOURCE,
  parseDeliveryEvent,
  parseNotificationCommand,
  SEND_NOTIFICATION,
  TOPICS,
  type DeliveryEvent,
  type DeliveryEventName,
  type PutDeliveryRequest,
  type SendNotificationCommand,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { deadLetterTopic, DLQ_HEADERS } from '@drone-delivery/messaging';
import {
  acceptedVariants,
  createTestDatabase,
  fuzzSeed,
  interleave,
  keptKeyAndHeaders,
  malformedMessages,
  seededRandom,
  sendFuzz,
  startServiceProcess,
  startTestIssuer,
  startTopicReader,
  testKafkaBrokers,
  uniqueGroupId,
  waitFor,
  waitForGroupPast,
  type FuzzMessage,
  type ReadMessage,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

/**
 * delivery's notification matcher (delivery.events.v1) and notifier (notification.commands.v1)
 * under a flood of malformed messages (see libs/testing kafka-fuzz.ts): every one is
 * dead-lettered at once with its reason, exactly once; variants the contract accepts are handled
 * or refused at once, never retried; every valid message sent among them ends in one webhook
 * call; and both consumers keep up to the end of what was sent.
 */

const MALFORMED = 1_000;
/** Variants within the contract, sent along: what a buggy producer can send. */
const ACCEPTED = 100;
const DELIVERIES = 6;
const MESSAGES_PER_DELIVERY = 3;
const ACCOUNT_ID = '11111111-1111-4111-8111-111111111111';
const EVENTS = TOPICS.deliveryEvents;
const COMMANDS = TOPICS.notificationCommands;

interface Subscriber {
  deliveryId: string;
  subscriptionId: string;
  webhookUrl: string;
}

/** An HTTP server on loopback answering 204 and keeping the eventId of every call, by path. */
async function startWebhookReceiver(): Promise<{
  url: string;
  eventIds: (path: string) => string[];
  close(): Promise<void>;
}> {
  const calls: { path: string; eventId: string }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string };
      calls.push({ path: request.url ?? '/', eventId: body.eventId });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    eventIds: (path) => calls.filter((call) => call.path === path).map((call) => call.eventId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A valid event of this type about a delivery that has no subscriber. */
function strangerEvent(name: DeliveryEventName): DeliveryEvent {
  const deliveryId = uuidv7();
  const point = { lat: 47.61, lng: -122.34 };
  const eta = new Date(Date.now() + 3_600_000).toISOString();
  const data = {
    DeliveryCreated: {
      deliveryId,
      accountId: ACCOUNT_ID,
      packageId: uuidv7(),
      droneId: uuidv7(),
      pickup: point,
      dropoff: point,
      expedited: false,
      confirmationRequired: 'none',
      pickupEta: eta,
      dropoffEta: eta,
    },
    DeliveryRescheduled: { deliveryId, dropoff: point, pickupEta: eta, dropoffEta: eta },
    DeliveryInTransit: { deliveryId, droneId: uuidv7(), location: point },
    DeliveryCompleted: { deliveryId, droneId: uuidv7(), location: point },
    DeliveryCancelled: { deliveryId, droneId: uuidv7() },
  }[name];
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: DELIVERY_EVENT_SOURCE,
    type: DELIVERY_EVENT_TYPES[name],
    subject: deliveryId,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    sequence: 1,
    data,
  } as DeliveryEvent;
}

function sourceOf(letter: ReadMessage): string {
  return `${letter.headers[DLQ_HEADERS.sourcePartition]}:${letter.headers[DLQ_HEADERS.sourceOffset]}`;
}

describe('delivery notifications under fuzzed Kafka messages', () => {
  const brokers = testKafkaBrokers();
  const matcherGroup = uniqueGroupId('delivery-fuzz-matcher');
  const notifierGroup = uniqueGroupId('delivery-fuzz-notifier');
  const random = seededRandom(fuzzSeed());
  const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
  let database: TestDatabase;
  let issuer: TestIssuer;
  let webhooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let service: ServiceProcess;
  let reader: Awaited<ReturnType<typeof startTopicReader>>;
  let db: Client;
  let subscribers: Subscriber[];

  beforeAll(async () => {
    [database, issuer, webhooks] = await Promise.all([
      createTestDatabase('delivery_notifications_fuzz'),
      startTestIssuer(),
      startWebhookReceiver(),
    ]);
    service = await startServiceProcess({
      app: 'delivery',
      env: {
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv(),
        LOG_LEVEL: 'fatal',
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_GROUP_ID: uniqueGroupId('delivery-fuzz-notifications-telemetry'),
        NOTIFICATION_MATCHER_GROUP_ID: matcherGroup,
        NOTIFIER_GROUP_ID: notifierGroup,
        SMTP_URL: '',
        WEBHOOK_ALLOWED_HOSTS: new URL(webhooks.url).host,
        WEBHOOK_ALLOW_HTTP: 'true',
      },
    });
    reader = await startTopicReader(brokers, [
      deadLetterTopic(EVENTS.name),
      deadLetterTopic(COMMANDS.name),
    ]);
    db = new Client({ connectionString: database.url });
    await db.connect();
    subscribers = await Promise.all(Array.from({ length: DELIVERIES }, () => subscribe()));
  });

  afterAll(async () => {
    await Promise.allSettled([reader?.stop(), db?.end()]);
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop(), webhooks?.close()]);
  });

  /**
   * A new delivery whose DeliveryCreated the matcher has handled, with a webhook subscription
   * made after that: it hears of the events this test sends, and of nothing before.
   */
  async function subscribe(): Promise<Subscriber> {
    const deliveryId = uuidv7();
    const inAnHour = Date.now() + 3_600_000;
    const request: PutDeliveryRequest = {
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
    const put = await fetch(`${service.url}/internal/v1/deliveries/${deliveryId}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await tokens.tokenFor('delivery')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(request),
    });
    expect(put.status).toBe(201);
    await waitFor(
      async () => {
        const { rows } = await db.query(
          `SELECT 1 FROM inbox JOIN outbox ON outbox.id::text = inbox.event_id
            WHERE inbox.consumer = 'notification-matcher' AND outbox.delivery_id = $1`,
          [deliveryId],
        );
        return rows.length === 1;
      },
      { timeoutMs: 60_000, description: 'the matcher to handle DeliveryCreated' },
    );
    const webhookUrl = `${webhooks.url}/hooks/${deliveryId}`;
    const answer = await fetch(`${service.url}/api/v1/deliveries/${deliveryId}/notifications`, {
      method: 'POST',
      headers: {
        authorization: await issuer.bearer({ accountId: ACCOUNT_ID }),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ webhookUrl }),
    });
    expect(answer.status).toBe(201);
    const { subscriptionId } = (await answer.json()) as { subscriptionId: string };
    return { deliveryId, subscriptionId, webhookUrl };
  }

  /** The dead letters `group` wrote, by "partition:offset" of their source message. */
  function deadLettersOf(group: string): Map<string, ReadMessage[]> {
    const bySource = new Map<string, ReadMessage[]>();
    for (const letter of reader.messages) {
      if (letter.headers[DLQ_HEADERS.consumerGroup] !== `${group}-server`) continue;
      bySource.set(sourceOf(letter), [...(bySource.get(sourceOf(letter)) ?? []), letter]);
    }
    return bySource;
  }

  /**
   * Sends the valid messages among malformed ones and variants the contract accepts, waits until
   * the consumer group is past all of them, and checks the dead letters: one for each malformed
   * message, none for a valid one, each refused at once with its reason.
   */
  async function fuzz(options: {
    topic: string;
    partitions: number;
    group: string;
    valid: FuzzMessage[];
    templates: object[];
    parse: (value: unknown) => unknown;
  }): Promise<void> {
    const { templates, partitions, parse } = options;
    const malformed = malformedMessages({ templates, partitions, parse, random, count: MALFORMED });
    const accepted = acceptedVariants({ templates, partitions, parse, random, count: ACCEPTED });
    const messages = interleave(random, interleave(random, malformed, accepted), options.valid);

    const offsets = await sendFuzz(brokers, options.topic, messages);

    await waitForGroupPast(brokers, `${options.group}-server`, options.topic, offsets, 300_000);
    const at = (kind: (message: FuzzMessage) => boolean) =>
      messages.flatMap((message, index) => (kind(message) ? [offsets[index]] : []));
    const malformedAt = at((message) => malformed.includes(message));
    const letters = await waitFor(
      () => {
        const bySource = deadLettersOf(options.group);
        return malformedAt.every((source) => bySource.has(source)) && bySource;
      },
      { timeoutMs: 60_000, description: `${MALFORMED} dead letters from ${options.group}` },
    );
    // Exactly one dead letter per malformed message; none for a valid one.
    expect(malformedAt.filter((source) => letters.get(source)?.length !== 1)).toEqual([]);
    expect(at((message) => options.valid.includes(message)).filter((s) => letters.has(s))).toEqual(
      [],
    );
    // Each with the key and headers it was sent with; a huge one cut to fit the broker's limit,
    // saying so and how large it was.
    // Only the dead letters of what this test sent. The notifier also reads every command other
    // specs' delivery instances put on the shared topic meanwhile, and refuses them rightly
    // ("there is no subscription"): they are not this test's to judge.
    const ours = new Set(offsets);
    const all = [...letters.values()].flat().filter((letter) => ours.has(sourceOf(letter)));
    const others = [...letters.values()].flat().filter((letter) => !ours.has(sourceOf(letter)));
    if (others.length > 0) {
      console.log(
        `[fuzz] ${others.length} dead letter(s) of ${options.group} from other sources: ` +
          others.map((letter) => letter.headers[DLQ_HEADERS.errorMessage]).join('; '),
      );
    }
    const sent = (letter: ReadMessage) => messages[offsets.indexOf(sourceOf(letter))];
    expect(
      all
        .filter((letter) => !keptKeyAndHeaders(sent(letter), letter))
        .map((letter) => ({ kind: sent(letter).kind, key: letter.key, headers: letter.headers })),
    ).toEqual([]);
    expect(
      all
        .filter(
          (letter) =>
            sent(letter).kind.startsWith('huge') &&
            (letter.headers[DLQ_HEADERS.valueTruncated] !== 'true' ||
              letter.headers[DLQ_HEADERS.originalValueBytes] !==
                String(Buffer.byteLength(sent(letter).value ?? ''))),
        )
        .map((letter) => letter.headers),
    ).toEqual([]);
    // Each refused at once, with its reason: a message that cannot succeed is not retried.
    const refusals = all.map((letter) => ({
      kind: sent(letter).kind,
      type: letter.headers[DLQ_HEADERS.errorType],
      attempts: letter.headers[DLQ_HEADERS.attempts],
      reason: letter.headers[DLQ_HEADERS.errorMessage],
    }));
    expect(
      refusals.filter(
        (refusal) =>
          refusal.type !== 'InvalidMessageError' || refusal.attempts !== '1' || !refusal.reason,
      ),
    ).toEqual([]);
  }

  /** Waits until each subscriber's webhook got exactly these events, each once. */
  async function expectNotifiedOnce(expected: Map<Subscriber, string[]>): Promise<void> {
    const path = (subscriber: Subscriber) => new URL(subscriber.webhookUrl).pathname;
    const received = (subscriber: Subscriber) =>
      webhooks
        .eventIds(path(subscriber))
        .filter((eventId) => expected.get(subscriber)?.includes(eventId));
    await waitFor(
      () =>
        [...expected].every(
          ([subscriber, eventIds]) => received(subscriber).length >= eventIds.length,
        ),
      { timeoutMs: 120_000, description: 'a webhook call for every valid message' },
    );
    for (const [subscriber, eventIds] of expected) {
      expect(received(subscriber).sort()).toEqual([...eventIds].sort());
    }
    const { rows } = await db.query<{ event_id: string; status: string; attempts: number }>(
      `SELECT event_id, status, attempts FROM notification_deliveries
        WHERE event_id = ANY($1::text[]) ORDER BY event_id`,
      [[...expected.values()].flat()],
    );
    expect(rows).toEqual(
      [...expected.values()]
        .flat()
        .sort()
        .map((eventId) => ({ event_id: eventId, status: 'sent', attempts: 1 })),
    );
  }

  it(`dead-letters ${MALFORMED} malformed delivery events and notifies of every valid one among them`, async () => {
    const t0 = Date.now();
    const rescheduled = (subscriber: Subscriber, index: number): DeliveryEvent => ({
      specversion: '1.0',
      id: uuidv7(),
      source: DELIVERY_EVENT_SOURCE,
      type: DELIVERY_EVENT_TYPES.DeliveryRescheduled,
      subject: subscriber.deliveryId,
      time: new Date(t0 + index * 1_000).toISOString(),
      datacontenttype: 'application/json',
      sequence: index + 2,
      data: {
        deliveryId: subscriber.deliveryId,
        dropoff: { lat: 47.62 + index / 1_000, lng: -122.35 },
        pickupEta: new Date(t0 + 3_600_000).toISOString(),
        dropoffEta: new Date(t0 + 4_800_000).toISOString(),
      },
    });
    const events = new Map(
      subscribers.map((subscriber) => [
        subscriber,
        Array.from({ length: MESSAGES_PER_DELIVERY }, (_, index) =>
          parseDeliveryEvent(rescheduled(subscriber, index)),
        ),
      ]),
    );
    // A delivery's events share a partition, as its key would put them.
    const valid = subscribers.flatMap((subscriber, index) =>
      (events.get(subscriber) ?? []).map((event): FuzzMessage => ({
        partition: index % EVENTS.partitions,
        key: subscriber.deliveryId,
        value: JSON.stringify(event),
        kind: 'valid',
      })),
    );
    // Of every type, on a delivery nobody follows: a variant the contract accepts notifies nobody.
    const templates = (Object.keys(DELIVERY_EVENT_TYPES) as DeliveryEventName[]).map(
      (name) => parseDeliveryEvent(strangerEvent(name)) as object,
    );

    await fuzz({
      topic: EVENTS.name,
      partitions: EVENTS.partitions,
      group: matcherGroup,
      valid,
      templates,
      parse: parseDeliveryEvent,
    });

    await expectNotifiedOnce(
      new Map([...events].map(([subscriber, list]) => [subscriber, list.map((event) => event.id)])),
    );
  }, 600_000);

  it(`dead-letters ${MALFORMED} malformed notification commands and sends every valid one among them`, async () => {
    const command = (subscriber: Subscriber, sequence: number): SendNotificationCommand =>
      parseNotificationCommand({
        specversion: '1.0',
        id: uuidv7(),
        source: NOTIFICATION_COMMAND_SOURCE,
        type: SEND_NOTIFICATION,
        subject: subscriber.subscriptionId,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        sequence,
        data: {
          subscriptionId: subscriber.subscriptionId,
          deliveryId: subscriber.deliveryId,
          eventId: uuidv7(),
          eventType: 'DeliveryRescheduled',
          occurredAt: new Date().toISOString(),
          channel: 'webhook',
          target: subscriber.webhookUrl,
          subject: 'Your delivery has been rescheduled',
          text: `Delivery ${subscriber.deliveryId} has a new plan.`,
        },
      });
    const commands = new Map(
      subscribers.map((subscriber) => [
        subscriber,
        Array.from({ length: MESSAGES_PER_DELIVERY }, (_, index) =>
          command(subscriber, 100 + index),
        ),
      ]),
    );
    // A subscription's commands share a partition, as its key would put them.
    const valid = subscribers.flatMap((subscriber, index) =>
      (commands.get(subscriber) ?? []).map((sent): FuzzMessage => ({
        partition: index % COMMANDS.partitions,
        key: subscriber.subscriptionId,
        value: JSON.stringify(sent),
        kind: 'valid',
      })),
    );

    await fuzz({
      topic: COMMANDS.name,
      partitions: COMMANDS.partitions,
      group: notifierGroup,
      valid,
      // Copies of real commands: a variant the contract accepts reaches the subscription.
      templates: subscribers.slice(0, 3).map((subscriber) => command(subscriber, 1) as object),
      parse: parseNotificationCommand,
    });

    await expectNotifiedOnce(
      new Map(
        [...commands].map(([subscriber, list]) => [
          subscriber,
          list.map((sent) => sent.data.eventId),
        ]),
      ),
    );
  }, 600_000);
});
