/**
 * Why a send failed, in one line for the `last_error` column: fetch wraps the network error
 * ("fetch failed") around the useful part (its cause: "connect ECONNREFUSED …").
 */
export function describeSendFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/**
 * A send that cannot succeed however often it is tried (an address the service will not use):
 * recorded failed at once, not retried.
 */
export class PermanentSendFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSendFailure';
  }
}
