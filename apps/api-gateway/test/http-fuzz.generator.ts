import { randomUUID } from 'node:crypto';

/**
 * Structure-aware HTTP requests for the fuzz (http-fuzz.e2e-spec.ts): each starts from a valid
 * call of a route and is bent in one to three ways (a field's value, a missing or unknown field,
 * the whole body, raw bytes, a header, the id in the path, the query, the method). Every choice
 * comes from one seeded PRNG, so a seed replays the same requests in the same order.
 */

/** sfc32: small, fast, and good enough to pick mutations; seeded from one 32-bit number. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4_294_967_296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A UUID from the PRNG, so a replayed seed names the same ids. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16));
    hex[12] = '4';
    hex[16] = '89ab'[this.int(4)];
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/** A JSON number written as given (`-0`, `1e400`): JSON.stringify would normalise it. */
class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text that keeps RawJson tokens as written. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  // Array.from, not map: a body may have been given a `constructor` key.
  if (Array.isArray(value)) return `[${Array.from(value, toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const inYears = (years: number) => new Date(Date.now() + years * 365.25 * 86_400_000);

/** Instants at and past every limit: JavaScript's Date, Postgres' timestamptz, the calendar. */
export function interestingInstants(): string[] {
  return [
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '9999-12-31T23:59:59-23:59',
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2028-02-29T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-01-01T23:59:60Z',
    '2026-12-31T23:59:60Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:00:00+23:59',
    '2026-01-01T10:00:00-23:59',
    '2026-01-01T10:00:00+24:00',
    '2026-01-01t10:00:00z',
    '2026-01-01 10:00:00Z',
    '2026-01-01T10:00:00',
    '2026-01-01',
    '2026-W01',
    '2026-001',
    '+275760-09-13T00:00:00Z',
    '-271821-04-20T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '2026-01-01T10:00:00.123456789012Z',
    '2026-01-01T10:00:00,5Z',
    inYears(-30).toISOString(),
    inYears(-1).toISOString(),
    inYears(1 / 365).toISOString(),
    inYears(1).toISOString(),
    inYears(100).toISOString(),
    inYears(7_970).toISOString().replace(/^\+0*/, ''),
    new Date(Date.now() + 3_600_000).toISOString().replace('Z', '+00:00'),
    new Date(Date.now() + 7_200_000).toISOString().replace('Z', '-12:00'),
  ];
}

const LONG = 'x'.repeat(10_000);

/** Strings a layer may take and another refuse: NUL, lone surrogates, control and wide characters. */
export const INTERESTING_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'a\udfffb',
  '\u202e',
  '\ufeff',
  'é',
  '😀',
  '\u0007\u001b[31m',
  'null',
  'undefined',
  '__proto__',
  '../../etc/passwd',
  "'; DROP TABLE deliveries; --",
  '%00',
  LONG,
  'a@b',
  'ada@example.com',
  'a\u0000@example.com',
  '"a b"@example.com',
  `${'a'.repeat(64)}@${'b'.repeat(63)}.com`,
  '+14255550100',
  '+1\u000042555501',
  'http://localhost',
  'http://[::1]:80/x',
  'https://example.com/\u0000',
  'https://exa\u0000mple.com',
  'file:///etc/passwd',
  'javascript:alert(1)',
  `https://example.com/${'p'.repeat(2_100)}`,
  'small',
  'none',
  'fingerprint',
  '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222',
  '00000000-0000-0000-0000-000000000000',
];

/** Numbers at their limits, some only writable as raw JSON. */
export const INTERESTING_NUMBERS: readonly unknown[] = [
  0,
  new RawJson('-0'),
  new RawJson('-0.0'),
  1,
  -1,
  0.5,
  2,
  2.0000001,
  5,
  10,
  10.0000001,
  90,
  -90,
  90.0000001,
  180,
  -180,
  -180.0000001,
  47.6101,
  -122.3421,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  Number.MAX_SAFE_INTEGER + 2,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  new RawJson('1e-320'),
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('1.7976931348623157e308'),
  new RawJson('123456789012345678901234567890'),
];

function interestingValue(random: Prng, instants: string[]): unknown {
  switch (random.int(6)) {
    case 0:
      return random.pick(instants);
    case 1:
      return random.pick(INTERESTING_STRINGS);
    case 2:
      return random.pick(INTERESTING_NUMBERS);
    case 3:
      return random.pick([null, true, false, [], {}, [1, 2], { lat: 1 }, [null], { '': 0 }]);
    case 4:
      return random.pick([
        { lat: 47.61, lng: -122.33 },
        { lat: 90, lng: 180 },
        { lat: -90, lng: -180 },
        { lat: new RawJson('-0'), lng: new RawJson('1e-320') },
        { lat: '47.61', lng: '-122.33' },
        { lat: 47.61 },
        { lat: 47.61, lng: -122.33, alt: 1 },
        { size: 'large', weightKg: 10 },
        { size: 'small', weightKg: 1e308 },
      ]);
    default:
      return nested(random.int(2) === 0 ? 50 : 2_000);
  }
}

/** `[[[…]]]` as JSON text: deep enough to reach any recursion in a transformer or validator. */
function nested(depth: number): RawJson {
  return new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}

function nestedObject(depth: number): RawJson {
  return new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** Every path to a value inside a JSON body: [] is the body, ['pickup', 'lat'] a leaf. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || value instanceof RawJson) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
}

/** One change at a place in the body: another value, gone, or a stranger beside it. */
function mutateBody(random: Prng, body: unknown, instants: string[]): unknown {
  const places = paths(body).filter((path) => path.length > 0);
  if (places.length === 0 || random.chance(0.1)) return interestingValue(random, instants);
  const place = random.pick(places);
  const parent = place.slice(0, -1).reduce<unknown>((at, key) => (at as never)[key], body) as
    Record<string, unknown> | unknown[];
  const key = place[place.length - 1];
  switch (random.int(5)) {
    case 0:
      delete (parent as Record<string, unknown>)[key];
      break;
    case 1:
      // defineProperty: `parent.__proto__ = …` would set the prototype, not a key to send.
      Object.defineProperty(
        parent,
        random.pick(['extra', '__proto__', 'constructor', key.toUpperCase()]),
        {
          value: interestingValue(random, instants),
          enumerable: true,
          writable: true,
          configurable: true,
        },
      );
      break;
    default: {
      const current = (parent as Record<string, unknown>)[key];
      (parent as Record<string, unknown>)[key] = random.chance(0.5)
        ? nearby(random, current, instants)
        : interestingValue(random, instants);
    }
  }
  return body;
}

/** Poisons one piece of text in the body, leaving every other field valid. */
function poisonText(random: Prng, body: unknown): unknown {
  const texts = paths(body).filter(
    (path) =>
      path.length > 0 &&
      typeof path.reduce<unknown>((at, key) => (at as never)[key], body) === 'string',
  );
  if (texts.length === 0) return body;
  const place = random.pick(texts);
  const parent = place
    .slice(0, -1)
    .reduce<unknown>((at, key) => (at as never)[key], body) as Record<string, string>;
  const key = place[place.length - 1];
  parent[key] = nearby(random, parent[key], []) as string;
  return body;
}

/**
 * A value close to the valid one, so the rest of the request still passes: the same text with a
 * NUL or a lone surrogate inside, an instant at a limit for an instant, a number at a limit.
 */
function nearby(random: Prng, current: unknown, instants: string[]): unknown {
  if (typeof current === 'number') return random.pick(INTERESTING_NUMBERS);
  if (typeof current !== 'string') return interestingValue(random, instants);
  if (instants.length > 0 && !Number.isNaN(Date.parse(current)) && random.chance(0.5)) {
    return random.pick(instants);
  }
  const at = random.int(current.length + 1);
  const poison = random.pick(['\u0000', '\ud800', '\udc00', '\u0000\u0000', '😀', '\u202e']);
  return `${current.slice(0, at)}${poison}${current.slice(at)}`;
}

export interface FuzzRoute {
  method: string;
  /** With `{id}` where the route names a resource, `{sub}` for a second one. */
  path: string;
  /** A valid body, a fresh one each call (it is mutated in place). */
  body?: () => unknown;
  /** Query parameters of a valid call. */
  query?: () => Record<string, string>;
  /** Ids that name a real resource here, for `{id}`; none for a create (PUT), which wants new ones. */
  ids: () => string[];
  /** For `{sub}`. */
  subIds?: () => string[];
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** What was bent, for the failure report. */
  mutations: string[];
}

const ODD_IDS = [
  'not-a-uuid',
  '%00',
  '%ZZ',
  '%E0%A4%A',
  '%F0%9F%98%80',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '11111111-1111-4111-8111-11111111111',
  '11111111-1111-4111-8111-1111111111111',
  '{11111111-1111-4111-8111-111111111111}',
  '11111111111141118111111111111111',
  '-1',
  '0',
  '2147483648',
  '1e308',
  'null',
  '..',
  '%2e%2e%2f',
  'a%2Fb',
  'x'.repeat(3_000),
  '%20',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/merge-patch+json',
  'application/problem+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  '*/*',
  'application/json, text/plain',
  'application/json; charset="utf-8"; x=1',
];

const IDEMPOTENCY_KEYS = [
  '',
  ' ',
  'k',
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(5_000),
  'ÿé',
  // UTF-8 bytes of 'é😀' as a header carries them: latin-1 characters on the wire.
  Buffer.from('é😀', 'utf8').toString('latin1'),
  '\t tab',
  '%00',
  '11111111-1111-4111-8111-111111111111',
];

const PREFERS = ['respond-async', 'respond-async, wait=5', 'RESPOND-ASYNC;x', 'wait=-1', ''];

/** Raw bytes no JSON parser should take, or only some would. */
function rawBody(random: Prng, valid: string): { bytes: Buffer; what: string } {
  switch (random.int(9)) {
    case 0:
      return { bytes: Buffer.from(valid.slice(0, random.int(valid.length))), what: 'truncated' };
    case 1:
      return { bytes: Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), what: 'invalid utf-8' };
    case 2:
      return {
        bytes: Buffer.concat([
          Buffer.from(valid.slice(0, -1)),
          Buffer.from(',"x":"\xc3\x28"}', 'latin1'),
        ]),
        what: 'invalid utf-8 in a string',
      };
    case 3:
      return { bytes: Buffer.from(`\ufeff${valid}`), what: 'byte order mark' };
    case 4:
      return { bytes: Buffer.from(valid, 'utf16le'), what: 'utf-16' };
    case 5:
      return {
        bytes: Buffer.from(`{"pad":"${'p'.repeat(150_000 + random.int(200_000))}"}`),
        what: 'oversized',
      };
    case 6:
      return { bytes: Buffer.alloc(0), what: 'empty' };
    case 7:
      return {
        bytes: Buffer.from(toJsonText(nestedObject(random.pick([100, 5_000, 50_000])))),
        what: 'deep object',
      };
    default:
      return { bytes: Buffer.from(`${valid}${valid}`), what: 'two documents' };
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** Percent-encoded UTF-8, as encodeURIComponent but also for lone surrogates (sent as U+FFFD). */
function percentEncoded(value: string): string {
  return [...Buffer.from(value)]
    .map((byte) =>
      /[\w.~-]/.test(String.fromCharCode(byte)) && byte < 0x80
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

export interface FuzzContext {
  /** `Authorization` values: valid ones first, then wrong ones. */
  authorizations: string[];
  instants: string[];
}

/** A request for `route`, bent in one to three ways. */
export function mutatedRequest(random: Prng, route: FuzzRoute, context: FuzzContext): FuzzRequest {
  const mutations: string[] = [];
  let method = route.method;
  const known = route.ids();
  let id = known.length > 0 && random.chance(0.7) ? random.pick(known) : random.uuid();
  let sub = route.subIds ? random.pick(route.subIds()) : random.uuid();
  let body: unknown = route.body?.();
  let bytes: Buffer | undefined;
  const query: [string, string][] = Object.entries(route.query?.() ?? {});
  const headers: Record<string, string | string[]> = {
    // Mostly a valid token, so most requests reach the service behind the gateway.
    authorization: random.chance(0.85)
      ? context.authorizations[random.int(2)]
      : random.pick(context.authorizations),
  };
  if (body !== undefined) headers['content-type'] = 'application/json';

  const rounds = 1 + random.int(3);
  for (let round = 0; round < rounds; round++) {
    switch (random.int(11)) {
      case 0:
      case 1:
      case 2:
      case 3:
        // Mostly the body, where there is one to bend; else the ids in the path.
        if (body !== undefined && bytes === undefined && random.chance(0.75)) {
          body = mutateBody(random, body, context.instants);
          mutations.push('body value');
        } else if (random.chance(0.5)) {
          id = random.pick(ODD_IDS);
          mutations.push(`id ${id.slice(0, 40)}`);
        } else {
          sub = random.pick(ODD_IDS);
          mutations.push(`sub ${sub.slice(0, 40)}`);
        }
        break;
      case 4: {
        const raw = rawBody(random, toJsonText(body ?? {}));
        bytes = raw.bytes;
        mutations.push(`raw ${raw.what}`);
        break;
      }
      case 5: {
        const type = random.pick(CONTENT_TYPES);
        if (type === '') delete headers['content-type'];
        else headers['content-type'] = random.chance(0.1) ? [type, 'text/plain'] : type;
        mutations.push(`content-type ${type}`);
        if (body === undefined && bytes === undefined) body = { a: 1 };
        break;
      }
      case 6: {
        const key = random.pick(IDEMPOTENCY_KEYS);
        headers['idempotency-key'] = random.chance(0.2) ? [key, randomUUID()] : key;
        if (random.chance(0.5)) headers.prefer = random.pick(PREFERS);
        mutations.push(`idempotency-key ${key.slice(0, 20)}`);
        break;
      }
      case 7: {
        const name = random.pick([
          'accountId',
          'from',
          'to',
          'limit',
          'cursor',
          'a',
          'a[b]',
          '__proto__',
        ]);
        const value = String(
          random.pick<unknown>([
            ...context.instants,
            ...INTERESTING_STRINGS.filter((s) => s.length < 1_000),
            '1',
            '0',
            '-1',
            '201',
            '2147483648',
            '99999999999999999999',
            '1e400',
            '1.5',
            'NaN',
            random.uuid(),
            Buffer.from(JSON.stringify([random.pick(context.instants), random.uuid()])).toString(
              'base64url',
            ),
            Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'x'])).toString('base64url'),
          ]),
        );
        query.push([name, value]);
        if (random.chance(0.3)) query.push([name, value]);
        mutations.push(`query ${name}`);
        break;
      }
      case 10:
        if (body !== undefined && bytes === undefined) {
          body = poisonText(random, body);
          mutations.push('text poisoned');
        }
        break;
      case 8:
        method = random.pick(METHODS);
        mutations.push(`method ${method}`);
        break;
      default:
        headers.authorization = random.pick(context.authorizations);
        if (random.chance(0.2))
          headers.authorization = [headers.authorization, context.authorizations[0]];
        if (random.chance(0.2)) headers['x-correlation-id'] = random.pick(IDEMPOTENCY_KEYS);
        mutations.push('authorization');
    }
  }

  const search = query.map(([name, value]) => `${percentEncoded(name)}=${percentEncoded(value)}`);
  // Escapes no decoder can read, written as they are.
  if (random.chance(0.03))
    search.push(random.pick(['from=%FF', 'limit=%ZZ', '%E0%A4%A=1', 'a=%00']));
  const path =
    route.path.replace('{id}', () => id).replace('{sub}', () => sub) +
    (search.length > 0 ? `?${search.join('&')}` : '');
  if (bytes === undefined && body !== undefined && method !== 'GET' && method !== 'HEAD') {
    bytes = Buffer.from(toJsonText(body));
  }
  return { method, path, headers, body: bytes, mutations };
}
