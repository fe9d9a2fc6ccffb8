/**
 * delivery-history's consumer of delivery.events.v1 under a flood of malformed messages (see
 * libs/testing kafka-fuzz.ts): every one is dead-lettered at once with its reason, exactly once;
 * the valid events sent among them all make it into the histories; and the consumer keeps up to
 * the end of what was sent.
 */
import { randomUUID } from 'node:crypto';
import { parseDeliveryEvent, TOPICS } from '@drone-delivery/contracts';
import { DLQ_HEADERS } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  fuzzSeed,
  interleave,
  keptKeyAndHeaders,
  malformedMessages,
  seededRandom,
  sendFuzz,
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
} from '@drone-delivery/testing';
import {
  asOperator,
  DLQ_TOPIC,
  expectedHistory,
  getHistory,
  lifecycle,
  type Lifecycle,
  startDeliveryHistory,
  TOPIC,
  waitForHistory,
} from './delivery-history.fixtures';

const MALFORMED = 1_000;
const DELIVERIES = 12;

describe('delivery-history under fuzzed Kafka messages', () => {
  const brokers = testKafkaBrokers();
  const groupId = uniqueGroupId('history-fuzz');
  const random = seededRandom(fuzzSeed());
  let database: TestDatabase;
  let issuer: TestIssuer;
  let service: ServiceProcess;
  let reader: Awaited<ReturnType<typeof startTopicReader>>;

  beforeAll(async () => {
    [database, issuer] = await Promise.all([
      createTestDatabase('delivery_history_kafka_fuzz'),
      startTestIssuer(),
    ]);
    service = await startDeliveryHistory(database, groupId, issuer);
    reader = await startTopicReader(brokers, [DLQ_TOPIC]);
  });

  afterAll(async () => {
    await reader?.stop();
    await service?.stop();
    await Promise.allSettled([database?.drop(), issuer?.stop()]);
  });

  it(`dead-letters ${MALFORMED} malformed delivery events and records every valid one among them`, async () => {
    const day = new Date('2026-11-23T08:00:00.000Z').getTime();
    const deliveries: Lifecycle[] = Array.from({ length: DELIVERIES }, (_, index) =>
      lifecycle(randomUUID(), new Date(day + index * 3_600_000), [
        'DeliveryCreated',
        'DeliveryRescheduled',
        'DeliveryInTransit',
        'DeliveryCompleted',
      ]),
    );
    // A delivery's events share a partition, as its key would put them.
    const valid: FuzzMessage[] = deliveries.flatMap((delivery, index) =>
      delivery.events.map((event) => ({
        partition: index % TOPICS.deliveryEvents.partitions,
        key: delivery.deliveryId,
        value: JSON.stringify(event),
        kind: 'valid',
      })),
    );
    const malformed = malformedMessages({
      templates: deliveries[0].events.map((event) => JSON.parse(JSON.stringify(event)) as object),
      count: MALFORMED,
      partitions: TOPICS.deliveryEvents.partitions,
      parse: parseDeliveryEvent,
      random,
    });
    const messages = interleave(random, malformed, valid);

    const offsets = await sendFuzz(brokers, TOPIC, messages);

    await waitForGroupPast(brokers, `${groupId}-server`, TOPIC, offsets, 300_000);
    const sentAt = (kind: 'valid' | 'malformed') =>
      new Set(
        messages.flatMap((message, index) =>
          (message.kind === 'valid') === (kind === 'valid') ? [offsets[index]] : [],
        ),
      );
    const malformedAt = sentAt('malformed');
    const ours = (letter: ReadMessage) =>
      letter.headers[DLQ_HEADERS.consumerGroup] === `${groupId}-server`;
    const source = (letter: ReadMessage) =>
      `${letter.headers[DLQ_HEADERS.sourcePartition]}:${letter.headers[DLQ_HEADERS.sourceOffset]}`;
    const letters = await waitFor(
      () => {
        const found = reader.messages.filter(
          (letter) => ours(letter) && malformedAt.has(source(letter)),
        );
        return found.length >= MALFORMED && found;
      },
      { timeoutMs: 60_000, description: `${MALFORMED} dead letters` },
    );
    // Exactly one dead letter per malformed message, refused at once with a reason.
    expect(letters).toHaveLength(MALFORMED);
    expect(new Set(letters.map(source)).size).toBe(MALFORMED);
    expect(
      letters.filter(
        (letter) =>
          letter.headers[DLQ_HEADERS.errorMessage] === '' ||
          letter.headers[DLQ_HEADERS.errorType] !== 'InvalidMessageError' ||
          letter.headers[DLQ_HEADERS.attempts] !== '1',
      ),
    ).toEqual([]);
    // Each with the key and headers it was sent with; a huge one cut to fit the broker's limit,
    // saying so and how large it was.
    const sent = (letter: ReadMessage) => messages[offsets.indexOf(source(letter))];
    expect(
      letters
        .filter((letter) => !keptKeyAndHeaders(sent(letter), letter))
        .map((letter) => ({ kind: sent(letter).kind, key: letter.key, headers: letter.headers })),
    ).toEqual([]);
    const huge = letters.filter((letter) => sent(letter).kind.startsWith('huge'));
    expect(huge.length).toBeGreaterThan(0);
    expect(
      huge
        .filter(
          (letter) =>
            letter.headers[DLQ_HEADERS.valueTruncated] !== 'true' ||
            letter.headers[DLQ_HEADERS.originalValueBytes] !==
              String(Buffer.byteLength(sent(letter).value ?? '')),
        )
        .map((letter) => letter.headers),
    ).toEqual([]);
    const validAt = sentAt('valid');
    expect(reader.messages.filter((letter) => ours(letter) && validAt.has(source(letter)))).toEqual(
      [],
    );

    // Every valid event is in its delivery's history, in sequence order.
    const operator = asOperator(issuer);
    for (const delivery of deliveries) {
      await waitForHistory(service, delivery.deliveryId, delivery.events.length, operator);
      const history = await getHistory(service, delivery.deliveryId, operator);
      expect(history.body).toEqual(expectedHistory(delivery.events));
    }
  }, 600_000);
});
