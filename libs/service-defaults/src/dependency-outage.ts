/**
 * Whether an error says that something the handler depends on is down (the database, the
 * broker), rather than that the message itself cannot be handled. The consumer waits out such an
 * outage instead of spending the message's attempts on it: a database restart must not
 * dead-letter every message that arrived meanwhile.
 *
 * It looks at the error and what it wraps (TypeORM's `driverError`, `cause`, the errors of an
 * AggregateError, as Node reports a refused connection to a host with several addresses).
 */
export function isDependencyOutage(error: unknown): boolean {
  return causes(error).some(
    (cause) =>
      NETWORK_ERROR_CODES.has(String(cause.code)) ||
      isPostgresOutageCode(cause.code) ||
      KAFKAJS_OUTAGE_ERRORS.has(String(cause.name)) ||
      BROKER_UNAVAILABLE_TYPES.has(String(cause.type)) ||
      OUTAGE_MESSAGES.some((pattern) => pattern.test(String(cause.message))),
  );
}

/** Node's socket and DNS errors: the server cannot be reached, or dropped the connection. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * Postgres SQLSTATEs of a server that is away or full: class 08 (connection exception), 57P01
 * admin shutdown (connections terminated), 57P02 crash shutdown, 57P03 cannot connect now
 * (starting up or recovering), 53300 too many connections.
 */
function isPostgresOutageCode(code: unknown): boolean {
  return (
    typeof code === 'string' &&
    (/^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code))
  );
}

/** kafkajs: the broker cannot be reached, or did not answer in time, however often retried. */
const KAFKAJS_OUTAGE_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSGroupCoordinatorNotFound',
]);

/** kafkajs protocol errors (`type`) of a cluster that is moving leaders or missing replicas. */
const BROKER_UNAVAILABLE_TYPES = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
]);

/** Errors that only their text tells apart (pg, pg-pool, TypeORM). */
const OUTAGE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Driver not Connected$/,
  /^Connection with \w+ database is not established/,
];

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
}

/** The error and everything it wraps, a few levels deep (a cycle ends there). */
function causes(error: unknown, depth = 0): ErrorLike[] {
  if (typeof error !== 'object' || error === null || depth > 4) return [];
  const wrapped = error as { cause?: unknown; driverError?: unknown; errors?: unknown };
  const inner = [
    wrapped.cause,
    wrapped.driverError,
    ...(Array.isArray(wrapped.errors) ? (wrapped.errors as unknown[]) : []),
  ];
  return [error, ...inner.flatMap((cause) => causes(cause, depth + 1))];
}
