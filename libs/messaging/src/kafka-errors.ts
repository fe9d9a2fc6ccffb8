/**
 * Whether a kafkajs error, or any error it wraps, is the broker's `type` (e.g.
 * UNKNOWN_TOPIC_OR_PARTITION). kafkajs retries a retriable protocol error itself and, once out
 * of retries, throws KafkaJSNumberOfRetriesExceeded with the protocol error as its `cause`: the
 * outer error has no `type`, so a check of `error.type` alone misses exactly the persistent case.
 */
export function isKafkaErrorOfType(error: unknown, type: string): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object';) {
    if (seen.has(current)) return false;
    seen.add(current);
    const {
      type: own,
      cause,
      originalError,
    } = current as {
      type?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    if (own === type) return true;
    current = cause ?? originalError;
  }
  return false;
}

const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Closed connection|Connection timeout/;

/**
 * The error, or one it wraps (kafkajs' "retries exceeded", "non-retriable"), says the broker
 * could not be reached: down, restarting, not resolvable yet. Worth waiting for at start-up,
 * unlike a certificate that does not verify or a refused request.
 */
export function isBrokerUnreachable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (
    let current = error;
    current instanceof Error && !seen.has(current);
    current = current.cause
  ) {
    seen.add(current);
    if (UNREACHABLE.test(current.message)) return true;
  }
  return false;
}
