import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/** `2026-11-22T10:00:00Z`, `2026-11-22T10:00:00.5+01:00`: RFC 3339's date-time. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * The instants a request may name. Each service hands its times on as `toISOString()` output,
 * which leaves RFC 3339 (a six-digit `+010000-…` year) past 9999, so the next service would
 * refuse what this one took; the first year of slack covers ETAs computed from a late time.
 */
export const EARLIEST_INSTANT = Date.parse('1970-01-01T00:00:00Z');
export const LATEST_INSTANT = Date.parse('9999-01-01T00:00:00Z');

/** The instant `value` names, or undefined when it is not one IsInstant accepts. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = DATE_TIME.exec(value);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  const offsetHour = Number(parts[8] ?? 0);
  const offsetMinute = Number(parts[9] ?? 0);
  // The format alone takes 2026-02-30 (Date.parse reads it as 2 March) and the leap second
  // 23:59:60 (Date.parse gives NaN, and toISOString() then throws): neither is an instant here.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHour > 23 || offsetMinute > 59) {
    return undefined;
  }
  const instant = Date.parse(value.replace(' ', 'T'));
  if (Number.isNaN(instant) || instant < EARLIEST_INSTANT || instant >= LATEST_INSTANT) {
    return undefined;
  }
  return instant;
}

/**
 * An RFC 3339 date-time that exists on the calendar and lies between 1970 and 9998: what every
 * layer behind the API (Date, toISOString, the next service's check, Postgres) takes as it is.
 */
export function IsInstant(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => parseInstant(value) !== undefined,
        defaultMessage: buildMessage(
          (eachPrefix) =>
            `${eachPrefix}$property must be an RFC 3339 date-time between 1970 and 9998 that ` +
            'exists on the calendar, e.g. 2026-11-22T10:00:00Z',
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
