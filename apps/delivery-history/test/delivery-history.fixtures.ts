/**
 * What the delivery-history specs share: valid delivery events as the delivery service
 * publishes them, a producer and a dead-letter reader standing in for delivery and for an
 * operator, the running service with the access tokens its public routes need, and its database.
 */
import { randomUUID } from 'node:crypto';
// The specs play the producer and the operator reading the dead-letter topic; the service
// itself talks to Kafka only through @drone-delivery/messaging.
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  DELIVERY_EVENT_SOURCE,
  DELIVERY_EVENT_TYPES,
  type DeliveryEvent,
  type DeliveryEventName,
  type DeliveryStage,
  TOPICS,
} from '@drone-delivery/contracts';
import { createIdempotentProducer, DLQ_HEADERS, deadLetterTopic } from '@drone-delivery/messaging';
import {
  startServiceProcess,
  testKafkaBrokers,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  waitFor,
  serviceTokenEnv,
} from '@drone-delivery/testing';

export const TOPIC = TOPICS.deliveryEvents.name;
export const DLQ_TOPIC = deadLetterTopic(TOPIC);

// ---- events ----

const SEATTLE = { lat: 47.6062, lng: -122.3321 };
const BELLEVUE = { lat: 47.6101, lng: -122.2015 };
const MINUTE = 60_000;

export const STAGE_AFTER: Record<DeliveryEventName, DeliveryStage> = {
  DeliveryCreated: 'Created',
  DeliveryRescheduled: 'Rescheduled',
  DeliveryInTransit: 'InTransit',
  DeliveryCompleted: 'Completed',
  DeliveryCancelled: 'Cancelled',
};

/** Data of each event for one delivery, valid against the contract's schemas. */
export function eventData(
  name: DeliveryEventName,
  ids: { deliveryId: string; accountId: string; droneId: string },
  at: Date,
): DeliveryEvent['data'] {
  const eta = (minutes: number) => new Date(at.getTime() + minutes * MINUTE).toISOString();
  switch (name) {
    case 'DeliveryCreated':
      return {
        deliveryId: ids.deliveryId,
        accountId: ids.accountId,
        packageId: randomUUID(),
        droneId: ids.droneId,
        pickup: SEATTLE,
        dropoff: BELLEVUE,
        expedited: false,
        confirmationRequired: 'none',
        pickupEta: eta(10),
        dropoffEta: eta(30),
      };
    case 'DeliveryRescheduled':
      return {
        deliveryId: ids.deliveryId,
        dropoff: BELLEVUE,
        pickupEta: eta(15),
        dropoffEta: eta(40),
      };
    case 'DeliveryInTransit':
      return { deliveryId: ids.deliveryId, droneId: ids.droneId, location: SEATTLE };
    case 'DeliveryCompleted':
      return { deliveryId: ids.deliveryId, droneId: ids.droneId, location: BELLEVUE };
    case 'DeliveryCancelled':
      return { deliveryId: ids.deliveryId, droneId: ids.droneId };
  }
}

/** The CloudEvents envelope delivery publishes, with a fresh UUIDv7 id. */
export function envelope(
  name: DeliveryEventName,
  deliveryId: string,
  sequence: number,
  time: Date,
  data: DeliveryEvent['data'],
): DeliveryEvent {
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: DELIVERY_EVENT_SOURCE,
    type: DELIVERY_EVENT_TYPES[name],
    subject: deliveryId,
    time: time.toISOString(),
    datacontenttype: 'application/json',
    sequence,
    data,
  } as DeliveryEvent;
}

export interface Lifecycle {
  deliveryId: string;
  accountId: string;
  createdAt: Date;
  /** Sequences 1, 2, 3…, one minute apart. */
  events: DeliveryEvent[];
}

/** A new delivery (fresh id) that went through these events, in this order. */
export function lifecycle(
  accountId: string,
  createdAt: Date,
  names: DeliveryEventName[],
): Lifecycle {
  const ids = { deliveryId: randomUUID(), accountId, droneId: randomUUID() };
  const events = names.map((name, index) => {
    const time = new Date(createdAt.getTime() + index * MINUTE);
    return envelope(name, ids.deliveryId, index + 1, time, eventData(name, ids, time));
  });
  return { deliveryId: ids.deliveryId, accountId, createdAt, events };
}

/** The name of an event, e.g. `DeliveryCreated`, from its versioned CloudEvents type. */
export function nameOf(event: DeliveryEvent): DeliveryEventName {
  const entry = Object.entries(DELIVERY_EVENT_TYPES).find(([, type]) => type === event.type);
  return entry![0] as DeliveryEventName;
}

/** What `GET /api/v1/deliveries/{id}/history` documents for these events. */
export function expectedHistory(events: DeliveryEvent[]): HistoryEntry[] {
  return [...new Map(events.map((event) => [event.id, event])).values()]
    .sort((a, b) => a.sequence - b.sequence)
    .map((event) => ({
      eventId: event.id,
      type: nameOf(event),
      sequence: event.sequence,
      occurredAt: event.time,
      data: event.data as unknown as Record<string, unknown>,
    }));
}

/** A random order (Fisher–Yates). */
export function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

// ---- Kafka ----

export function testKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
}

/** Publishes to delivery.events.v1 as delivery does: keyed by deliveryId, acknowledged. */
export class DeliveryEventsProducer {
  private readonly producer = createIdempotentProducer({
    clientId: 'delivery-history-spec',
    brokers: testKafkaBrokers(),
  });

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(events: DeliveryEvent[]): Promise<void> {
    await this.sendRaw(
      events.map((event) => ({ key: event.subject, value: JSON.stringify(event) })),
    );
  }

  /** Any bytes at all, as a buggy or hostile producer might send. */
  async sendRaw(messages: { key: string; value: string }[]): Promise<void> {
    await this.producer.send({ topic: TOPIC, acks: -1, messages });
  }
}

/** Reads delivery.events.v1.dlq from the beginning, as an operator would. */
export class DeadLetterReader {
  readonly letters: KafkaMessage[] = [];
  private readonly consumer;

  constructor(kafka: Kafka, groupId: string) {
    this.consumer = kafka.consumer({ groupId });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: DLQ_TOPIC, fromBeginning: true });
    await this.consumer.run({
      eachMessage: ({ message }) => {
        this.letters.push(message);
        return Promise.resolve();
      },
    });
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }

  /** Letters with this key that the given consumer group (Nest appends `-server`) wrote. */
  lettersFrom(groupId: string, key: string): KafkaMessage[] {
    return this.letters.filter(
      (letter) =>
        letter.key?.toString() === key &&
        header(letter, DLQ_HEADERS.consumerGroup) === `${groupId}-server`,
    );
  }
}

export function header(message: KafkaMessage, name: string): string | undefined {
  return message.headers?.[name]?.toString();
}

/**
 * Waits until the service's consumer group has committed everything on the topic up to now:
 * every message sent before this call has been handled, duplicates included.
 */
export async function waitUntilConsumed(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(TOPIC);
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({
          groupId: `${groupId}-server`,
          topics: [TOPIC],
        });
        return ends.every(({ partition, high, low }) => {
          // An empty partition gives the group nothing to commit.
          if (high === low) return true;
          const offset = committed?.partitions.find((entry) => entry.partition === partition);
          return offset !== undefined && BigInt(offset.offset) >= BigInt(high);
        });
      },
      { timeoutMs: 60_000, intervalMs: 250, description: `${groupId} to consume ${TOPIC}` },
    );
  } finally {
    await admin.disconnect();
  }
}

// ---- the service ----

export function startDeliveryHistory(
  database: TestDatabase,
  groupId: string,
  issuer: TestIssuer,
  options: { readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  return startServiceProcess({
    app: 'delivery-history',
    env: {
      ...issuer.env,
      DATABASE_URL: database.url,
      ...serviceTokenEnv(),
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      KAFKA_GROUP_ID: groupId,
      LOG_LEVEL: 'warn',
      // kafkajs prints a notice about its v2 default partitioner on every start.
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
    readyTimeoutMs: options.readyTimeoutMs,
  });
}

/**
 * Who calls: the `Authorization` header to send, minted per call as access tokens expire
 * (a long test outlives one); undefined sends none.
 */
export type Credentials = () => Promise<string | undefined>;

export const asOperator =
  (issuer: TestIssuer): Credentials =>
  () =>
    issuer.bearer({ operator: true });

export const asCustomer =
  (issuer: TestIssuer, accountId: string): Credentials =>
  () =>
    issuer.bearer({ accountId });

export interface HistoryEntry {
  eventId: string;
  type: DeliveryEventName;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface DeliverySummary {
  deliveryId: string;
  accountId: string;
  stage: DeliveryStage;
  createdAt: string;
  updatedAt: string;
}

export interface SearchPage {
  items: DeliverySummary[];
  nextCursor: string | null;
}

export interface Answer<T> {
  status: number;
  contentType: string | null;
  headers: Headers;
  /** The body as sent, to compare two answers byte for byte. */
  text: string;
  body: T;
}

async function getJson<T>(url: string, as: Credentials): Promise<Answer<T>> {
  const authorization = await as();
  const response = await fetch(url, {
    headers: authorization === undefined ? {} : { authorization },
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    headers: response.headers,
    text,
    body: JSON.parse(text) as T,
  };
}

export function getHistory<T = HistoryEntry[]>(
  service: ServiceProcess,
  deliveryId: string,
  as: Credentials,
  query = '',
): Promise<Answer<T>> {
  return getJson<T>(`${service.url}/api/v1/deliveries/${deliveryId}/history${query}`, as);
}

export function searchDeliveries<T = SearchPage>(
  service: ServiceProcess,
  query: Record<string, string>,
  as: Credentials,
): Promise<Answer<T>> {
  return getJson<T>(
    `${service.url}/api/v1/delivery-history?${new URLSearchParams(query).toString()}`,
    as,
  );
}

/** Waits until the history of the delivery lists `count` events, as `as` sees it. */
export async function waitForHistory(
  service: ServiceProcess,
  deliveryId: string,
  count: number,
  as: Credentials,
  timeoutMs = 30_000,
): Promise<HistoryEntry[]> {
  return waitFor(
    async () => {
      const answer = await getHistory(service, deliveryId, as);
      return answer.status === 200 && answer.body.length === count ? answer.body : undefined;
    },
    { timeoutMs, intervalMs: 100, description: `${count} events in the history of ${deliveryId}` },
  );
}

// ---- the database ----

export async function withDatabase<T>(
  database: TestDatabase,
  work: (db: Client) => Promise<T>,
): Promise<T> {
  const db = new Client({ connectionString: database.url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** Timeline rows of these deliveries. */
export async function countTimelineRows(db: Client, deliveryIds: string[]): Promise<number> {
  const { rows } = await db.query<{ count: string }>(
    'SELECT count(*) FROM timeline_events WHERE delivery_id = ANY($1::uuid[])',
    [deliveryIds],
  );
  return Number(rows[0].count);
}

/** Inbox rows of these events. */
export async function countInboxRows(db: Client, eventIds: string[]): Promise<number> {
  const { rows } = await db.query<{ count: string }>(
    'SELECT count(*) FROM inbox WHERE event_id = ANY($1::text[])',
    [eventIds],
  );
  return Number(rows[0].count);
}
