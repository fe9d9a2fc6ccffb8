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
