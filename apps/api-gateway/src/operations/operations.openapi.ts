import { type OpenAPIObject } from '@nestjs/swagger';
import { DEFAULT_DEAD_LETTER_PAGE, MAX_DEAD_LETTER_PAGE } from './operations.service';

/** The operators' routes, as Express templates. */
export const OPERATIONS_PATHS = {
  services: '/api/v1/operations/services',
  messaging: '/api/v1/operations/messaging',
  deadLetters: '/api/v1/operations/dead-letters/:topic',
  redrive: '/api/v1/operations/dead-letters/:topic/redrive',
} as const;

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const string = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const integer = (extra: Schema = {}): Schema => ({ type: 'integer', ...extra });
const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  properties,
});
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const SERVICE_STATUS = string({ enum: ['ready', 'not-ready', 'unreachable'] });

const SCHEMAS: Record<string, Schema> = {
  ServicesOverview: object({
    checkedAt: string({ format: 'date-time' }),
    services: arrayOf(
      object({
        service: string({ example: 'scheduler' }),
        status: SERVICE_STATUS,
        circuitBreakers: arrayOf(
          object({
            name: string({ example: 'accounts', description: 'The downstream called' }),
            state: string({ enum: ['closed', 'open', 'half-open', 'isolated'] }),
          }),
        ),
        instances: arrayOf(object({ address: string(), status: SERVICE_STATUS })),
      }),
    ),
  }),
  MessagingOverview: object({
    checkedAt: string({ format: 'date-time' }),
    consumers: arrayOf(
      object({
        service: string({ example: 'delivery' }),
        group: string({ example: 'delivery' }),
        topic: string({ example: 'drone.telemetry.v1' }),
        lag: integer({ minimum: 0, description: 'Messages behind the end, all partitions' }),
      }),
    ),
    deadLetters: arrayOf(
      object({
        topic: string({ example: 'delivery.events.v1.dlq' }),
        sourceTopic: string({ example: 'delivery.events.v1' }),
        messages: integer({ minimum: 0, description: 'Dead letters the topic keeps' }),
        awaitingRedrive: integer({ minimum: 0, description: 'Of those, not redriven yet' }),
      }),
    ),
  }),
  DeadLetterPage: object({
    topic: string({ example: 'delivery.events.v1.dlq' }),
    items: arrayOf(
      object({
        partition: integer(),
        offset: string({ example: '42' }),
        key: nullable(string()),
        reason: string({ description: 'The error that dead-lettered it' }),
        errorType: nullable(string({ example: 'InvalidMessageError' })),
        sourceTopic: string(),
        sourcePartition: nullable(integer()),
        sourceOffset: nullable(string()),
        consumerGroup: nullable(string()),
        attempts: nullable(integer({ minimum: 1 })),
        deadLetteredAt: nullable(string({ format: 'date-time' })),
        value: string({ description: 'The first 2 KB of the message, as UTF-8' }),
        valueBytes: integer({ minimum: 0, description: 'The whole size of the message' }),
      }),
    ),
  }),
  RedriveOutcome: object({
    topic: string({ example: 'delivery.events.v1.dlq' }),
    redriven: integer({ minimum: 0, description: 'Letters sent back by this call' }),
  }),
};

const PROBLEM = { 'application/problem+json': { schema: { type: 'object' } } };
const problem = (description: string) => ({ description, content: PROBLEM });
const ok = (schema: string, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(schema) } },
});
const OPERATOR_ONLY = {
  '401': problem('No access token, or one that is expired, forged or not for this API'),
  '403': problem('The token is not an operator’s'),
  '429': problem('Too many requests: see Retry-After and the RateLimit headers'),
};
const TOPIC = {
  name: 'topic',
  in: 'path' as const,
  required: true,
  description: 'A dead-letter topic of the system, `<topic>.dlq`',
  schema: string({ example: 'delivery.events.v1.dlq' }),
};
const NOT_A_DLQ = problem('Not a dead-letter topic of this system');
const KAFKA_DOWN = problem('Kafka cannot be reached; see Retry-After');

/**
 * The OpenAPI document of the gateway's own operators' routes, merged into the public one with
 * the services' documents. Written out here because they are plain Express routes (bodies must
 * stream past the gateway, so it has no Nest controllers under /api to document them from).
 */
export const OPERATIONS_OPENAPI: OpenAPIObject = {
  openapi: '3.0.0',
  info: { title: 'api-gateway', version: '1' },
  tags: [
    { name: 'operations', description: 'For operators: the system’s health and its dead letters' },
  ],
  paths: {
    '/api/v1/operations/services': {
      get: {
        tags: ['operations'],
        summary:
          "Each service's readiness and circuit breakers, from its /health/ready and /metrics",
        operationId: 'operationsServices',
        responses: {
          '200': ok('ServicesOverview', 'Every service, every instance'),
          ...OPERATOR_ONLY,
        },
      },
    },
    '/api/v1/operations/messaging': {
      get: {
        tags: ['operations'],
        summary:
          'Consumer lag (from the services’ metrics) and dead letters per topic (from Kafka)',
        operationId: 'operationsMessaging',
        responses: {
          '200': ok('MessagingOverview', 'Lag per consumer group and topic; dead-letter counts'),
          ...OPERATOR_ONLY,
          '503': KAFKA_DOWN,
        },
      },
    },
    '/api/v1/operations/dead-letters/{topic}': {
      get: {
        tags: ['operations'],
        summary: 'The dead letters a redrive would send, oldest first, with why they failed',
        operationId: 'operationsDeadLetters',
        parameters: [
          TOPIC,
          {
            name: 'limit',
            in: 'query' as const,
            required: false,
            schema: integer({
              minimum: 1,
              maximum: MAX_DEAD_LETTER_PAGE,
              default: DEFAULT_DEAD_LETTER_PAGE,
            }),
          },
        ],
        responses: {
          '200': ok('DeadLetterPage', 'Up to `limit` letters'),
          '400': problem('limit is not a whole number from 1 to 500'),
          ...OPERATOR_ONLY,
          '404': NOT_A_DLQ,
          '503': KAFKA_DOWN,
        },
      },
    },
    '/api/v1/operations/dead-letters/{topic}/redrive': {
      post: {
        tags: ['operations'],
        summary: 'Send the letters not redriven yet back to their topic, each once',
        description:
          'One redrive of a topic runs at a time across gateway instances; a call made while ' +
          'one runs waits for it, then sends only what arrived since (usually nothing). Uses the ' +
          'consumer group of `npm run dlq:redrive`, so neither sends what the other sent.',
        operationId: 'operationsRedrive',
        parameters: [TOPIC],
        responses: {
          '200': ok('RedriveOutcome', 'How many letters this call sent'),
          ...OPERATOR_ONLY,
          '404': NOT_A_DLQ,
          '409': problem('Another gateway instance has been redriving this topic for 30 s'),
          '503': KAFKA_DOWN,
        },
      },
    },
  },
  components: { schemas: SCHEMAS },
};
