import { EventValidationError } from '@drone-delivery/contracts';
import { InvalidMessageError } from './invalid-message.error';

/**
 * Checks a consumed message with its topic's parser (`parseDeliveryEvent`, …). A message that
 * breaks the contract can never be handled, so it becomes an InvalidMessageError, which the
 * consumer dead-letters at once instead of retrying.
 */
export function parseMessage<T>(parse: (value: unknown) => T, message: unknown): T {
  try {
    return parse(message);
  } catch (error) {
    if (error instanceof EventValidationError) throw new InvalidMessageError(error.message);
    throw error;
  }
}
