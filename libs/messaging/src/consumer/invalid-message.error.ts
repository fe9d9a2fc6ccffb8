/**
 * Thrown by a handler for a message that can never succeed: not JSON, wrong schema, unknown
 * event type. The consumer dead-letters it at once instead of retrying.
 */
export class InvalidMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}
