import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isKafkaErrorOfType } from './kafka-errors';

const unknownTopic = () =>
  new KafkaJSProtocolError({
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
    code: 3,
    retriable: true,
    message: 'This server does not host this topic-partition',
  } as unknown as string);

describe('isKafkaErrorOfType', () => {
  it('finds the type on the protocol error itself', () => {
    expect(isKafkaErrorOfType(unknownTopic(), 'UNKNOWN_TOPIC_OR_PARTITION')).toBe(true);
  });

  it('finds it under the error kafkajs throws once its own retries are spent', () => {
    const spent = new KafkaJSNumberOfRetriesExceeded(unknownTopic(), {
      retryCount: 5,
      retryTime: 3_000,
    });
    expect((spent as { type?: string }).type).toBeUndefined();
    expect(isKafkaErrorOfType(spent, 'UNKNOWN_TOPIC_OR_PARTITION')).toBe(true);
    expect(isKafkaErrorOfType(spent, 'LEADER_NOT_AVAILABLE')).toBe(false);
  });

  it('says no for other errors, and for a cause chain that loops', () => {
    const looped = new Error('a') as Error & { cause?: unknown };
    looped.cause = looped;
    for (const error of [new Error('x'), 'text', undefined, null, looped]) {
      expect(isKafkaErrorOfType(error, 'UNKNOWN_TOPIC_OR_PARTITION')).toBe(false);
    }
  });
});
