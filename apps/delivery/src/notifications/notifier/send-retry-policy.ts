import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { PermanentSendFailure } from './channels/send-failure';

export interface SendRetrySettings {
  /** Sends in all, the first included. */
  maxAttempts: number;
  initialBackoffMs: number;
  /** No wait between two sends is longer. */
  maxBackoffMs: number;
}

/**
 * The retries of one notification's sends: exponential backoff with decorrelated jitter
 * (cockatiel's default generator), capped, so receivers that failed together do not retry in
 * step and no wait grows past the cap. A PermanentSendFailure is not retried.
 */
export function sendRetryPolicy(settings: SendRetrySettings): RetryPolicy {
  return retry(
    handleWhen((error) => !(error instanceof PermanentSendFailure)),
    {
      maxAttempts: settings.maxAttempts - 1,
      backoff: new ExponentialBackoff({
        initialDelay: settings.initialBackoffMs,
        maxDelay: settings.maxBackoffMs,
      }),
    },
  );
}
