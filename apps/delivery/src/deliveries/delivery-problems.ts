import { ConflictException, HttpStatus, NotFoundException } from '@nestjs/common';
import { DELIVERY_QUOTA_EXCEEDED_PROBLEM } from '@drone-delivery/contracts';
import { ProblemException, fieldErrorsProblem } from '@drone-delivery/service-defaults';
import { type StageTransitionError } from './delivery-stage';

const PROBLEMS = 'https://drone-delivery.example/problems';

/** 409 on PATCH or DELETE: the stage machine forbids the change (e.g. the delivery is Completed). */
export const DELIVERY_STAGE_CONFLICT_PROBLEM = `${PROBLEMS}/delivery-stage-conflict`;
/** 410 on PUT: the id was cancelled before any delivery was created under it (a tombstone). */
export const DELIVERY_GONE_PROBLEM = `${PROBLEMS}/delivery-gone`;
/** A delivery finishes in minutes; half a minute is a fair first wait before asking again. */
const QUOTA_RETRY_AFTER_SECONDS = 30;

/** Also the answer for another account's delivery, word for word, so ids cannot be probed. */
export function deliveryNotFound(deliveryId: string): NotFoundException {
  return new NotFoundException(`There is no delivery ${deliveryId}.`);
}

/** 429 + Retry-After: the request is fine, the account only has to wait for one to finish. */
export function quotaExceededProblem(accountId: string, limit: number): ProblemException {
  return new ProblemException(
    {
      type: DELIVERY_QUOTA_EXCEEDED_PROBLEM,
      title: 'Too many deliveries in flight',
      status: HttpStatus.TOO_MANY_REQUESTS,
      detail:
        `Account ${accountId} already has ${limit} deliveries in flight, the most it may have ` +
        'at once; schedule more once some are completed or cancelled.',
      limit,
      retryAfterSeconds: QUOTA_RETRY_AFTER_SECONDS,
    },
    { 'retry-after': String(QUOTA_RETRY_AFTER_SECONDS) },
  );
}

/** Says which stage the delivery is in, in the detail and as the `stage` member. */
export function stageConflictProblem(
  deliveryId: string,
  error: StageTransitionError,
): ProblemException {
  return new ProblemException({
    type: DELIVERY_STAGE_CONFLICT_PROBLEM,
    title: 'The delivery cannot change in its current stage',
    status: HttpStatus.CONFLICT,
    detail: `Delivery ${deliveryId} is ${error.from}; it cannot become ${error.to}.`,
    stage: error.from,
  });
}

export function deliveryGoneProblem(deliveryId: string): ProblemException {
  return new ProblemException({
    type: DELIVERY_GONE_PROBLEM,
    title: 'The delivery was cancelled before it was created',
    status: HttpStatus.GONE,
    detail: `Delivery ${deliveryId} was cancelled before it was created; its id is not used again.`,
  });
}

export function deliveryExistsProblem(deliveryId: string): ConflictException {
  return new ConflictException(
    `Delivery ${deliveryId} already exists with other contents; a retry must send the same body.`,
  );
}

export function deadlineBeforePickupProblem(deadline: Date, pickupTime: Date): ProblemException {
  return fieldErrorsProblem([
    {
      field: 'deadline',
      message: `deadline ${deadline.toISOString()} must be after the pickup time ${pickupTime.toISOString()}`,
    },
  ]);
}

export function emptyChangeProblem(): ProblemException {
  return fieldErrorsProblem([
    {
      field: 'body',
      message: 'give at least one of dropoff, deadline, pickupTime, pickupEta and dropoffEta',
    },
  ]);
}
