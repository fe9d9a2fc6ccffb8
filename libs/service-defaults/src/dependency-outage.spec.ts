import { QueryFailedError, TypeORMError } from 'typeorm';
import { isDependencyOutage } from './dependency-outage';

/** An error as Node, pg or kafkajs build it: a message plus properties. */
function failure(message: string, properties: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), properties);
}

describe('isDependencyOutage', () => {
  it.each([
    [
      'a refused connection',
      failure('connect ECONNREFUSED 10.0.0.5:5432', { code: 'ECONNREFUSED' }),
    ],
    ['a reset connection', failure('read ECONNRESET', { code: 'ECONNRESET' })],
    ['a connect timeout', failure('connect ETIMEDOUT', { code: 'ETIMEDOUT' })],
    [
      'a refused connection to every address of a host',
      Object.assign(new AggregateError([failure('x', { code: 'ECONNREFUSED' })], ''), {
        code: 'ECONNREFUSED',
      }),
    ],
    [
      'connections terminated by an admin (57P01)',
      failure('terminating connection', { code: '57P01' }),
    ],
    [
      'a server starting up (57P03)',
      failure('the database system is starting up', { code: '57P03' }),
    ],
    ['a connection exception (08006)', failure('connection failure', { code: '08006' })],
    ['a dropped connection', failure('Connection terminated unexpectedly')],
    ['a pool timeout', failure('timeout exceeded when trying to connect')],
    ['a driver that is not connected', new TypeORMError('Driver not Connected')],
    [
      'a broker that cannot be reached',
      failure('Connection error', { name: 'KafkaJSConnectionError' }),
    ],
    [
      'a send that ran out of retries',
      failure('Connection timeout', {
        name: 'KafkaJSNumberOfRetriesExceeded',
        cause: failure('Connection timeout', { name: 'KafkaJSConnectionError' }),
      }),
    ],
    [
      'a partition without leader',
      failure('no leader', { name: 'KafkaJSProtocolError', type: 'LEADER_NOT_AVAILABLE' }),
    ],
  ])('is true for %s', (_, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  it('looks inside the errors TypeORM wraps a query failure in', () => {
    const dropped = failure('terminating connection due to administrator command', {
      code: '57P01',
    });
    expect(isDependencyOutage(new QueryFailedError('INSERT …', [], dropped))).toBe(true);
    expect(isDependencyOutage(new Error('handler failed', { cause: dropped }))).toBe(true);
  });

  it.each([
    [
      'a check constraint violation (23514)',
      failure('violates check constraint', { code: '23514' }),
    ],
    ['a unique violation (23505)', failure('duplicate key value', { code: '23505' })],
    ['a deadlock (40P01), retried as an attempt', failure('deadlock detected', { code: '40P01' })],
    ['an invalid message', new Error('not an order: quantity must be positive')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'boom'],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });

  it('is false for a query failure that is not an outage', () => {
    const violation = failure('new row violates check constraint', { code: '23514' });
    expect(isDependencyOutage(new QueryFailedError('INSERT …', [], violation))).toBe(false);
  });

  it('stops at a cycle of causes', () => {
    const looped: Error & { cause?: unknown } = new Error('loop');
    looped.cause = looped;
    expect(isDependencyOutage(looped)).toBe(false);
  });
});
