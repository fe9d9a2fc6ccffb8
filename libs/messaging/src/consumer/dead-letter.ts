/** `<topic>.dlq`: where a consumer puts what it could not handle; keyed like the source. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Headers a dead-lettered message carries, so an operator can see why and redrive it. */
export const DLQ_HEADERS = {
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  consumerGroup: 'dlq-consumer-group',
  attempts: 'dlq-attempts',
  errorType: 'dlq-error-type',
  errorMessage: 'dlq-error-message',
  deadLetteredAt: 'dlq-dead-lettered-at',
  /** Set when the value was cut to fit the broker's limit (see fitDeadLetter). */
  valueTruncated: 'dlq-value-truncated',
  originalValueBytes: 'dlq-original-value-bytes',
} as const;

export interface DeadLetterContext {
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
  attempts: number;
  error: unknown;
}

export function deadLetterHeaders(context: DeadLetterContext): Record<string, string> {
  const error = context.error instanceof Error ? context.error : new Error(String(context.error));
  return {
    [DLQ_HEADERS.sourceTopic]: context.topic,
    [DLQ_HEADERS.sourcePartition]: String(context.partition),
    [DLQ_HEADERS.sourceOffset]: context.offset,
    [DLQ_HEADERS.consumerGroup]: context.groupId,
    [DLQ_HEADERS.attempts]: String(context.attempts),
    [DLQ_HEADERS.errorType]: error.name,
    // Headers are not a log: keep the reason readable and bounded.
    [DLQ_HEADERS.errorMessage]: error.message.slice(0, 1_000),
    [DLQ_HEADERS.deadLetteredAt]: new Date().toISOString(),
  };
}

/**
 * The largest dead letter (key, value and headers) sent whole. Kafka refuses a record batch
 * above message.max.bytes (1,048,588 by default); a source message just under it no longer
 * fits once the dead letter's headers are added, and a dead letter that cannot be written
 * blocks its partition for good.
 */
export const DEAD_LETTER_MAX_BYTES = 1_000_000;

export interface DeadLetterMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, Buffer | string>;
}

/**
 * The dead letter as it is sent: whole when it fits in `maxBytes`, else with its value cut to
 * fit and headers saying so and giving the original size; the source offset (a header already)
 * tells where the whole message is, for as long as the topic keeps it.
 */
export function fitDeadLetter(
  letter: DeadLetterMessage,
  maxBytes = DEAD_LETTER_MAX_BYTES,
): DeadLetterMessage {
  const valueBytes = byteLength(letter.value);
  if (byteLength(letter.key) + valueBytes + headerBytes(letter.headers) <= maxBytes) {
    return letter;
  }
  const headers = {
    ...letter.headers,
    [DLQ_HEADERS.valueTruncated]: 'true',
    [DLQ_HEADERS.originalValueBytes]: String(valueBytes),
  };
  const room = Math.max(0, maxBytes - byteLength(letter.key) - headerBytes(headers));
  const value = Buffer.from(letter.value ?? '').subarray(0, room);
  return { key: letter.key, value, headers };
}

function byteLength(value: Buffer | string | null): number {
  return value === null ? 0 : Buffer.byteLength(value);
}

function headerBytes(headers: Record<string, Buffer | string>): number {
  return Object.entries(headers).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + byteLength(value),
    0,
  );
}
