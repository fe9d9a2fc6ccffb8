import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { KafkaJSConnectionError, KafkaJSNonRetriableError } from 'kafkajs';
import { isBrokerUnreachable, isKafkaErrorOfType } from './kafka-errors';

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

describe('isBrokerUnreachable', () => {
  it('recognises a broker that is down or restarting, also under kafkajs wrappers', () => {
    // What kafkajs throws from a start-up connect while the broker restarts (its
    // KafkaJSConnectionClosedError is not in its types), wrapped as it wraps it.
    const closed = new KafkaJSConnectionError('Closed connection');
    const wrapped = new (
      KafkaJSNonRetriableError as unknown as new (error: Error, options: { cause: Error }) => Error
    )(closed, { cause: closed });
    for (const error of [
      closed,
      wrapped,
      new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'),
      new Error('getaddrinfo ENOTFOUND kafka'),
    ]) {
      expect(isBrokerUnreachable(error)).toBe(true);
    }
  });

  it('leaves what waiting cannot fix', () => {
    for (const error of [
      new Error('unable to verify the first certificate'),
      unknownTopic(),
      new Error('min.insync.replicas (2) exceeds the replication factor (1)'),
      'Closed connection',
    ]) {
      expect(isBrokerUnreachable(error)).toBe(false);
    }
  });
});
