import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';

/**
 * The envelope of every message (CloudEvents 1.0, structured JSON mode): the attributes a
 * consumer routes and deduplicates by, and the event's `data`, whose schema depends on `type`.
 */
export interface CloudEvent<TType extends string = string, TData = unknown> {
  specversion: '1.0';
  /** Unique per event (UUIDv7): consumers' inboxes deduplicate by it. */
  id: string;
  /** The producing service, e.g. `/delivery`. */
  source: string;
  /** `drone-delivery.<aggregate>.<EventName>.v<N>`. */
  type: TType;
  /** The aggregate the event is about: a deliveryId or a droneId. */
  subject: string;
  /** When it happened, ISO 8601. */
  time: string;
  datacontenttype: 'application/json';
  /** Per subject, 1, 2, 3…: consumers order by it, whatever order messages arrive in. */
  sequence: number;
  /** The request that caused it, carried from HTTP into logs of every consumer. */
  correlationid?: string;
  /** W3C trace context of the producing span. */
  traceparent?: string;
  data: TData;
}

export class EventValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventValidationError';
  }
}

export const ajv = new Ajv({ allErrors: true, strict: true });
// ajv-formats is CommonJS with a `default` member; the namespace import reads the same everywhere.
ajvFormats.default(ajv);
// Stricter than ajv-formats, which also takes `urn:uuid:…` (Postgres does not) and leap seconds
// (`…T23:59:60Z`, an Invalid Date in JavaScript): what passes here, a consumer can store.
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const rfc3339 = ajv.formats['date-time'] as { validate: (value: string) => boolean };
ajv.addFormat('date-time', (value) => rfc3339.validate(value) && !Number.isNaN(Date.parse(value)));

/** Text a consumer can store: Postgres refuses NUL in text and jsonb. */
const TEXT = { type: 'string', pattern: '^[^\\u0000]*$' } as const;

/** JSON Schema of the envelope attributes; `data` is checked per type. */
export const CLOUD_EVENT_SCHEMA = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'sequence', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { ...TEXT, minLength: 1, maxLength: 100 },
    source: { ...TEXT, minLength: 1 },
    type: { type: 'string', minLength: 1 },
    subject: { ...TEXT, minLength: 1 },
    time: { type: 'string', format: 'date-time' },
    datacontenttype: { const: 'application/json' },
    // Beyond 2^53 a number is no longer an exact integer in JavaScript.
    sequence: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    correlationid: TEXT,
    traceparent: TEXT,
    data: { type: 'object' },
  },
  additionalProperties: false,
} as const;

const validateEnvelope = ajv.compile(CLOUD_EVENT_SCHEMA);

/**
 * A parser for the events of one topic: checks the envelope, that the type is one the topic
 * carries, and the data against that type's schema. Used when producing (a bug must not reach
 * the topic) and when consuming (a malformed message goes to the dead-letter topic).
 */
export function eventParser<TEvent extends CloudEvent>(
  topic: string,
  dataSchemas: Record<TEvent['type'], object>,
): (value: unknown) => TEvent {
  const validators = new Map<string, ValidateFunction>(
    Object.entries(dataSchemas).map(([type, schema]) => [type, ajv.compile(schema as object)]),
  );
  return (value: unknown): TEvent => {
    const parsed = typeof value === 'string' || Buffer.isBuffer(value) ? parseJson(value) : value;
    if (!validateEnvelope(parsed)) {
      throw new EventValidationError(`not a CloudEvent: ${describe(validateEnvelope.errors)}`);
    }
    const event = parsed as unknown as CloudEvent;
    const validateData = validators.get(event.type);
    if (!validateData) {
      throw new EventValidationError(`${topic} carries no events of type ${event.type}`);
    }
    if (!validateData(event.data)) {
      throw new EventValidationError(`${event.type} data: ${describe(validateData.errors)}`);
    }
    return event as TEvent;
  };
}

function parseJson(value: string | Buffer): unknown {
  try {
    return JSON.parse(value.toString());
  } catch {
    throw new EventValidationError('the message is not JSON');
  }
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}
