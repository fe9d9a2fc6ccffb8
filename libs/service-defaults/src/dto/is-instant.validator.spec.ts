import { parseInstant } from './is-instant.validator';

describe('parseInstant (IsInstant)', () => {
  it.each([
    ['2026-11-22T10:00:00Z', Date.UTC(2026, 10, 22, 10)],
    ['2026-11-22T10:00:00.123456789+01:00', Date.UTC(2026, 10, 22, 9, 0, 0, 123)],
    ['2026-11-22t10:00:00z', Date.UTC(2026, 10, 22, 10)],
    ['2026-11-22 10:00:00-23:59', Date.UTC(2026, 10, 23, 9, 59)],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['1970-01-01T00:00:00Z', 0],
    ['9998-12-31T23:59:59Z', Date.UTC(9998, 11, 31, 23, 59, 59)],
  ])('takes %s', (value, instant) => {
    expect(parseInstant(value)).toBe(instant);
  });

  it.each([
    // Dates that are not on the calendar: Date.parse would shift them or give NaN.
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:00:00+24:00',
    // Beyond what every layer holds as it is.
    '0000-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '9999-01-01T00:00:00Z',
    '9998-12-31T23:59:59-23:59',
    '+010000-01-01T00:00:00Z',
    // Not RFC 3339 date-times.
    '2026-01-01',
    '2026-01-01T10:00:00',
    '2026-W01',
    '2026-01-01T10:00:00,5Z',
    '2026-01-01T10:00:00.1234567890Z',
    '',
  ])('refuses %s', (value) => {
    expect(parseInstant(value)).toBeUndefined();
  });

  it('refuses what is not a string', () => {
    expect(parseInstant(Date.now())).toBeUndefined();
    expect(parseInstant(null)).toBeUndefined();
  });
});
