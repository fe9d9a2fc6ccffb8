import { ProblemException } from '@drone-delivery/service-defaults';
import { parseIdempotencyKey, prefersRespondAsync } from './request-headers';

describe('prefersRespondAsync', () => {
  it.each([
    ['respond-async', true],
    ['wait=10, Respond-Async', true],
    ['respond-async; foo=bar', true],
    ['return=minimal', false],
    [undefined, false],
  ])('%s → %s', (header, expected) => {
    expect(prefersRespondAsync(header)).toBe(expected);
  });
});

describe('parseIdempotencyKey', () => {
  it('accepts 1 to 200 characters and no header at all', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('k'.repeat(200))).toBe('k'.repeat(200));
  });

  it('rejects an empty or too long key with a field error', () => {
    for (const key of ['', 'k'.repeat(201)]) {
      expect(() => parseIdempotencyKey(key)).toThrow(ProblemException);
    }
  });
});
