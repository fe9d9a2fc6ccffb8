import { HttpStatus } from '@nestjs/common';
import { NO_DRONE_AVAILABLE_PROBLEM, type ProblemDetails } from '@drone-delivery/contracts';
import { ProblemException } from '@drone-delivery/service-defaults';
import { PROBLEMS } from '../common/problems';
import { DELIVERY_QUOTA_EXCEEDED_PROBLEM } from '@drone-delivery/contracts';
export const UNKNOWN_ACCOUNT_PROBLEM = `${PROBLEMS}/unknown-account`;
export const ACCOUNT_SUSPENDED_PROBLEM = `${PROBLEMS}/account-suspended`;
export const IDEMPOTENCY_KEY_REUSED_PROBLEM = `${PROBLEMS}/idempotency-key-reused`;
export const REQUEST_IN_PROGRESS_PROBLEM = `${PROBLEMS}/request-in-progress`;
export const ASYNC_BACKLOG_FULL_PROBLEM = `${PROBLEMS}/async-backlog-full`;

export function deliveryRequestLocation(requestId: string): string {
  return `/api/v1/delivery-requests/${requestId}`;
}

export function unknownAccountProblem(accountId: string): ProblemDetails {
  return {
    type: UNKNOWN_ACCOUNT_PROBLEM,
    title: 'The account does not exist',
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    detail: `There is no account ${accountId}.`,
    errors: [{ field: 'accountId', message: 'no account has this id' }],
  };
}

export function accountSuspendedProblem(accountId: string): ProblemDetails {
  return {
    type: ACCOUNT_SUSPENDED_PROBLEM,
    title: 'The account is suspended',
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    detail: `Account ${accountId} is suspended and may not schedule deliveries.`,
    errors: [{ field: 'accountId', message: 'this account is suspended' }],
  };
}

/** drone-management's 409 is our 503: nothing is wrong with the request, only with the moment. */
export function noDroneAvailableProblem(
  fromDroneManagement: ProblemDetails,
  defaultRetryAfterSeconds: number,
): ProblemDetails {
  return {
    type: NO_DRONE_AVAILABLE_PROBLEM,
    title: 'No drone is free to take this delivery',
    status: HttpStatus.SERVICE_UNAVAILABLE,
    detail: 'Every drone able to carry this package is busy. Nothing was booked; try again later.',
    retryAfterSeconds: retryAfterSuggestedBy(fromDroneManagement, defaultRetryAfterSeconds),
  };
}

/**
 * delivery's 429, passed on in our words with its Retry-After: the request is fine, the account
 * only has to wait until one of its deliveries is finished.
 */
export function quotaExceededProblem(
  accountId: string,
  fromDelivery: ProblemDetails,
  defaultRetryAfterSeconds: number,
): ProblemDetails {
  return {
    type: DELIVERY_QUOTA_EXCEEDED_PROBLEM,
    title: 'Too many deliveries in flight for this account',
    status: HttpStatus.TOO_MANY_REQUESTS,
    detail: `Account ${accountId} already has as many deliveries in flight as it may have at once. Nothing was booked; try again once one of them is completed or cancelled.`,
    retryAfterSeconds: retryAfterSuggestedBy(fromDelivery, defaultRetryAfterSeconds),
  };
}

/** The wait a downstream's problem suggests (`retryAfterSeconds`), in whole seconds, or ours. */
function retryAfterSuggestedBy(problem: ProblemDetails, defaultSeconds: number): number {
  const suggested = problem.retryAfterSeconds;
  return typeof suggested === 'number' && suggested > 0 ? Math.ceil(suggested) : defaultSeconds;
}

export function idempotencyKeyReusedException(): ProblemException {
  return new ProblemException({
    type: IDEMPOTENCY_KEY_REUSED_PROBLEM,
    title: 'The Idempotency-Key was used with another request',
    status: HttpStatus.CONFLICT,
    detail: 'This Idempotency-Key belongs to a request with a different body; use a new key.',
  });
}

/**
 * A repeat of a request that is still running, answered as draft-ietf-httpapi-idempotency-key
 * says (409), with where to follow it.
 */
export function requestInProgressException(requestId: string): ProblemException {
  const location = deliveryRequestLocation(requestId);
  return new ProblemException(
    {
      type: REQUEST_IN_PROGRESS_PROBLEM,
      title: 'The request with this Idempotency-Key is still being processed',
      status: HttpStatus.CONFLICT,
      detail: `Retry shortly, or follow its progress at ${location}.`,
      instance: location,
    },
    { location, 'retry-after': '1' },
  );
}

/**
 * 503, not 429: the client asked for nothing unusual; this scheduler has as many asynchronous
 * requests running as it takes (ASYNC_SAGAS_MAX_PENDING). Nothing was recorded.
 */
export function asyncBacklogFullException(retryAfterSeconds: number): ProblemException {
  return new ProblemException(
    {
      type: ASYNC_BACKLOG_FULL_PROBLEM,
      title: 'Too many asynchronous requests are running',
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'Nothing was booked; try again later.',
      retryAfterSeconds,
    },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export function internalErrorProblem(): ProblemDetails {
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'Something went wrong on our side. Nothing was booked. It has been logged.',
  };
}
