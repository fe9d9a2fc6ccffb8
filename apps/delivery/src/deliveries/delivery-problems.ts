import { ConflictException, HttpStatus, NotFoundException } from '@nestjs/common';
import { ProblemException, fieldErrorsProblem } from '@drone-delivery/service-defaults';
import { type StageTransitionError } from './delivery-stage';

/** 409 on PATCH or DELETE: the stage machine forbids the change (e.g. the delivery is Completed). */
export const DELIVERY_STAGE_CONFLICT_PROBLEM =
  'https://drone-delivery.example/problems/delivery-stage-conflict';

export function deliveryNotFound(deliveryId: string): NotFoundException {
  return new NotFoundException(`There is no delivery ${deliveryId}.`);
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
