import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

const storage = new AsyncLocalStorage<string>();

/**
 * Runs `work` with a correlation id that every log line and outgoing call inside it carries,
 * however deep. Taken from the incoming request when it has one, so one id follows a request
 * across services.
 */
export function withCorrelationId<T>(id: string | undefined, work: () => T): T {
  return storage.run(isUsableId(id) ? id : randomUUID(), work);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** Ids from outside are echoed into logs and headers: accept only short, plain ones. */
function isUsableId(id: string | undefined): id is string {
  return typeof id === 'string' && /^[\w.:-]{1,128}$/.test(id);
}
