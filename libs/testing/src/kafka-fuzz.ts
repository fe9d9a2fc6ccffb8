import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { uniqueGroupId } from './kafka';
import { waitFor } from './wait-for';

/**
 * Structure-aware fuzzing of a Kafka consumer: malformed variants of a valid message, from a
 * seeded PRNG (FUZZ_SEED overrides the fixed default, so a failing run can be replayed), sent
 * interleaved with valid messages, each to a partition of the test's choosing so that every
 * message's offset is known and its dead letter can be matched to it exactly.
 */

/** The seed of this run: FUZZ_SEED, or a fixed one. Printed, so a failure can be replayed. */
export function fuzzSeed(fallback = 20_261_122): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  const seed = Number.isInteger(fromEnv) && process.env.FUZZ_SEED ? fromEnv : fallback;
  console.log(`[fuzz] seed ${seed} (set FUZZ_SEED to replay another)`);
  return seed;
}

/** mulberry32: small, fast, and the same numbers for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FuzzMessage {
  partition: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
  /** How it was made, for a failure message. */
  kind: string;
}

type Random = () => number;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The broker's message.max.bytes (Kafka's default, which the test broker keeps) less the
 * record batch's own bytes: a value this large, with a short key and no headers, just fits.
 */
const HUGE_VALUE_MAX_BYTES = 1_048_588 - 100;

const pick = <T>(random: Random, values: readonly T[]): T =>
  values[Math.floor(random() * values.length)];

const LIMIT_NUMBERS = [
  0,
  -1,
  -0,
  0.5,
  1.5,
  90.000001,
  -180.000001,
  100.0001,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1e308,
  5e-324,
];

function unicodeGarbage(random: Random, length = 1 + Math.floor(random() * 40)): string {
  const pieces = ['\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\uffff', '💥', 'é', '\n', '"'];
  let text = '';
  for (let i = 0; i < length; i++) {
    text +=
      random() < 0.5 ? pick(random, pieces) : String.fromCodePoint(Math.floor(random() * 0x2ffff));
  }
  return text;
}

function randomBytes(random: Random, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

function wrongValue(random: Random): Json {
  const kinds: (() => Json)[] = [
    () => pick(random, LIMIT_NUMBERS),
    () => pick(random, [true, false, null]),
    () => [],
    () => ({}),
    () => '',
    () => unicodeGarbage(random),
    () => `${unicodeGarbage(random, 3)}\u0000`,
    () => 'x'.repeat(1_000 + Math.floor(random() * 20_000)),
    () => '2026-06-30T23:59:60Z',
    () => 'urn:uuid:0192f0c4-5a1b-7c3d-8e4f-123456789abc',
    () => [pick(random, LIMIT_NUMBERS), unicodeGarbage(random)],
  ];
  return pick(random, kinds)();
}

/** Every path to a value in `value`, objects and arrays included. */
function pathsOf(value: Json, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Object.entries(value).flatMap(([key, child]) =>
    pathsOf(child, [...prefix, key]),
  );
  return [prefix, ...children];
}

function setAt(
  root: Json,
  path: string[],
  change: (parent: Record<string, Json>, key: string) => void,
) {
  let node = root as Record<string, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  change(node, path[path.length - 1]);
}

/** One malformed value made from `template`; it may happen to be valid (the caller checks). */
function mutate(template: Json, random: Random): { value: Buffer | string | null; kind: string } {
  const text = JSON.stringify(template);
  const copy = (): Json => JSON.parse(text) as Json;
  const paths = pathsOf(template).filter((path) => path.length > 0);
  const mutations: (() => { value: Buffer | string | null; kind: string })[] = [
    () => ({ value: randomBytes(random, 1 + Math.floor(random() * 300)), kind: 'binary' }),
    () => ({ value: `not json ${unicodeGarbage(random)}`, kind: 'text' }),
    () => ({ value: text.slice(0, Math.floor(random() * (text.length - 1))), kind: 'truncated' }),
    () => ({ value: null, kind: 'null value' }),
    () => ({
      value: pick(random, ['[]', '[1,2]', '{}', 'null', '42', '"text"', '{"a":']),
      kind: 'not an object',
    }),
    () => ({
      value: `${text}${pick(random, ['}', ',', 'x', '\u0000'])}`,
      kind: 'trailing garbage',
    }),
    () => {
      const value = copy();
      const path = pick(random, paths);
      setAt(value, path, (parent, key) => delete parent[key]);
      return { value: JSON.stringify(value), kind: `missing ${path.join('.')}` };
    },
    () => {
      const value = copy();
      const path = pick(random, paths);
      setAt(value, path, (parent, key) => (parent[key] = wrongValue(random)));
      return { value: JSON.stringify(value), kind: `wrong ${path.join('.')}` };
    },
    () => {
      const value = copy();
      const objects = pathsOf(value).filter((path) => {
        let node: Json = value;
        for (const key of path) node = (node as Record<string, Json>)[key];
        return node !== null && typeof node === 'object' && !Array.isArray(node);
      });
      const path = pick(random, objects);
      let node = value as Record<string, Json>;
      for (const key of path) node = node[key] as Record<string, Json>;
      node[unicodeGarbage(random, 5)] = wrongValue(random);
      return { value: JSON.stringify(value), kind: `extra field in ${path.join('.') || '/'}` };
    },
    () => {
      const value = copy();
      const path = pick(random, paths);
      setAt(value, path, (parent, key) => (parent[key] = ''));
      // Up to the largest value the broker takes: its dead letter, headers added, is larger.
      const size =
        HUGE_VALUE_MAX_BYTES -
        Math.floor(random() * 400) -
        Buffer.byteLength(JSON.stringify(value));
      setAt(value, path, (parent, key) => (parent[key] = 'x'.repeat(size)));
      return { value: JSON.stringify(value), kind: `huge ${path.join('.')}` };
    },
  ];
  return pick(random, mutations)();
}

/** Keys and header values that read as JSON. */
const JSON_TEXT = ['{"deliveryId":"x"}', '[1,2]', '{}'];

/** Headers a broken or hostile producer might send; none is needed by a consumer here. */
export function fuzzHeaders(random: Random): IHeaders | undefined {
  const kinds: (() => IHeaders | undefined)[] = [
    () => undefined,
    () => ({}),
    () => ({ [unicodeGarbage(random, 4)]: randomBytes(random, 20) }),
    () => ({ traceparent: randomBytes(random, 55), 'content-type': 'text/plain' }),
    () => ({ traceparent: '00-zz-zz-01', correlationid: unicodeGarbage(random) }),
    () => ({ kafka_correlationId: 'x', kafka_replyTopic: 'nowhere', kafka_replyPartition: 'NaN' }),
    () => ({ 'content-type': Buffer.alloc(0), empty: '' }),
    // Nest's parser turns a key or header that reads as JSON into an object.
    () => ({ correlationid: pick(random, JSON_TEXT), 'x-json': pick(random, JSON_TEXT) }),
  ];
  return pick(random, kinds)();
}

export interface MalformedOptions {
  /** Valid messages to mutate; each malformed one is made from one of them. */
  templates: object[];
  count: number;
  partitions: number;
  /** What the consumer does first with a value as Nest decodes it: throws when invalid. */
  parse: (value: unknown) => unknown;
  random: Random;
}

/** `count` malformed messages, each rejected by `parse` (variants it accepts are made again). */
export function malformedMessages(options: MalformedOptions): FuzzMessage[] {
  return variants(options, false);
}

/**
 * `count` variants that `parse` accepts although a field was changed: what a buggy producer can
 * send within the contract. The consumer must handle each, or refuse it at once, never take it
 * for a failure worth retrying.
 */
export function acceptedVariants(options: MalformedOptions): FuzzMessage[] {
  return variants(options, true);
}

function variants(options: MalformedOptions, accepted: boolean): FuzzMessage[] {
  const { random } = options;
  const messages: FuzzMessage[] = [];
  while (messages.length < options.count) {
    const { value, kind } = mutate(pick(random, options.templates) as Json, random);
    if (acceptedBy(options.parse, value) !== accepted) continue;
    // A huge one takes all the room the broker gives: no room for a long key or headers.
    const huge = kind.startsWith('huge');
    messages.push({
      partition: Math.floor(random() * options.partitions),
      key: huge
        ? pick(random, [null, 'key'])
        : pick(random, [
            null,
            randomBytes(random, 16),
            unicodeGarbage(random, 8),
            'key',
            ...JSON_TEXT,
          ]),
      value,
      headers: huge ? undefined : fuzzHeaders(random),
      kind: accepted ? `accepted: ${kind}` : kind,
    });
  }
  return messages;
}

/** Decodes the value as Nest's Kafka transport does (kafka-parser.js), then parses it. */
function acceptedBy(parse: (value: unknown) => unknown, value: Buffer | string | null): boolean {
  let decoded: unknown = value;
  if (value !== null && !(Buffer.isBuffer(value) && value.length > 0 && value[0] === 0)) {
    decoded = value.toString();
    if (/^[{[]/.test(decoded as string)) {
      try {
        decoded = JSON.parse(decoded as string);
      } catch {
        // left as text, as Nest does
      }
    }
  }
  try {
    parse(decoded);
    return true;
  } catch {
    return false;
  }
}

/** Shuffles valid messages in among the malformed ones, keeping each list's own order. */
export function interleave<T>(random: Random, malformed: T[], valid: T[]): T[] {
  const result: T[] = [];
  let [m, v] = [0, 0];
  while (m < malformed.length || v < valid.length) {
    const takeValid =
      v < valid.length &&
      (m >= malformed.length || random() < valid.length / (valid.length + malformed.length));
    result.push(takeValid ? valid[v++] : malformed[m++]);
  }
  return result;
}

/**
 * Sends the messages in order, in batches (alone when large), each to its own partition, and
 * answers "partition:offset" of each, in the same order.
 */
export async function sendFuzz(
  brokers: string[],
  topic: string,
  messages: FuzzMessage[],
): Promise<string[]> {
  const producer = new Kafka({
    clientId: 'kafka-fuzz',
    brokers,
    logLevel: logLevel.NOTHING,
  }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const offsets: string[] = [];
  try {
    let batch: FuzzMessage[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const sent = batch;
      batch = [];
      const results = await producer.send({
        topic,
        acks: -1,
        messages: sent.map(({ partition, key, value, headers }) => ({
          partition,
          key,
          value,
          headers,
        })),
      });
      const next = new Map(
        results.map((result) => [result.partition, BigInt(result.baseOffset ?? '0')]),
      );
      for (const message of sent) {
        const offset = next.get(message.partition) as bigint;
        offsets.push(`${message.partition}:${offset}`);
        next.set(message.partition, offset + 1n);
      }
    };
    for (const message of messages) {
      const large = (message.value?.length ?? 0) > 5_000;
      if (large) await flush();
      batch.push(message);
      if (large || batch.length >= 200) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  return offsets;
}

/**
 * Waits until the consumer group has committed past every offset in `offsets` ("partition:offset"):
 * its lag on what was sent is 0.
 */
export async function waitForGroupPast(
  brokers: string[],
  groupId: string,
  topic: string,
  offsets: string[],
  timeoutMs: number,
): Promise<void> {
  const needed = new Map<number, bigint>();
  for (const entry of offsets) {
    const [partition, offset] = entry.split(':');
    const end = BigInt(offset) + 1n;
    if ((needed.get(Number(partition)) ?? 0n) < end) needed.set(Number(partition), end);
  }
  const admin = new Kafka({
    clientId: 'kafka-fuzz-lag',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const behind = [...needed].filter(([partition, end]) => {
          const at = committed.partitions.find((entry) => entry.partition === partition)?.offset;
          return at === undefined || BigInt(at) < end;
        });
        return behind.length === 0;
      },
      {
        timeoutMs,
        intervalMs: 1_000,
        description: `group ${groupId} past every fuzz message on ${topic}`,
      },
    );
  } finally {
    await admin.disconnect();
  }
}

export interface ReadMessage {
  topic: string;
  /** "partition:offset", as sendFuzz answers them. */
  at: string;
  key: string;
  value: Buffer | null;
  /** Each header as text. */
  headers: Record<string, string>;
}

/** Reads what arrives on the topics from now on, in a group of its own, keeping every message. */
export async function startTopicReader(
  brokers: string[],
  topics: string[],
): Promise<{ messages: ReadMessage[]; stop: () => Promise<void> }> {
  const messages: ReadMessage[] = [];
  const kafka = new Kafka({ clientId: 'kafka-fuzz-reader', brokers, logLevel: logLevel.NOTHING });
  // Where each partition ends now: the reader starts there. The shared dead-letter topics hold
  // every earlier file's letters (each new consumer group dead-letters the old malformed
  // messages again), and reading them all first once took longer than a test waits.
  const admin = kafka.admin();
  await admin.connect();
  const ends = await Promise.all(
    topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })),
  ).finally(() => admin.disconnect());
  const consumer = kafka.consumer({ groupId: uniqueGroupId('kafka-fuzz-reader') });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, partition, message }) => {
      messages.push({
        topic,
        at: `${partition}:${message.offset}`,
        key: message.key?.toString() ?? '',
        value: message.value,
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [
            name,
            String(Array.isArray(value) ? value[0] : value),
          ]),
        ),
      });
      return Promise.resolve();
    },
  });
  // Seeks after run() apply once the partitions are assigned, before the first fetch.
  for (const { topic, partitions } of ends) {
    for (const { partition, high } of partitions) consumer.seek({ topic, partition, offset: high });
  }
  return { messages, stop: () => consumer.disconnect() };
}

/**
 * Whether the dead letter kept the key and headers its source message was sent with (those sent
 * as text: Nest decodes a consumed key or header as UTF-8 text, so bytes are not kept exactly).
 */
export function keptKeyAndHeaders(sent: FuzzMessage, letter: ReadMessage): boolean {
  // As the producer put them on the wire: a lone surrogate becomes U+FFFD.
  const asSent = (text: string) => Buffer.from(text).toString();
  if (typeof sent.key === 'string' && letter.key !== asSent(sent.key)) return false;
  return Object.entries(sent.headers ?? {}).every(
    ([name, value]) => typeof value !== 'string' || letter.headers[name] === asSent(value),
  );
}
