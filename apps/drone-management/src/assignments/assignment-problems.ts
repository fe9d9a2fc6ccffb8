import { HttpStatus } from '@nestjs/common';
import {
  type FieldError,
  NO_DRONE_AVAILABLE_PROBLEM,
  OUT_OF_SERVICE_AREA_PROBLEM,
} from '@drone-delivery/contracts';
import { ProblemException } from '@drone-delivery/service-defaults';
import { type ServiceArea } from '../geo/geo';

const PROBLEMS = 'https://drone-delivery.example/problems';
/** The delivery's assignment was released (or cancelled before it was made): it is final. */
export const ASSIGNMENT_RELEASED_PROBLEM = `${PROBLEMS}/assignment-released`;
/** The drone has unloaded (or is unloading) the package: the flight can no longer change. */
export const ASSIGNMENT_COMPLETED_PROBLEM = `${PROBLEMS}/assignment-completed`;
/** The drone has the package on board: where it takes it, and when, no longer changes. */
export const ASSIGNMENT_PICKED_UP_PROBLEM = `${PROBLEMS}/assignment-picked-up`;
/** A PUT for a delivery that already has an assignment planned for another route. */
export const ASSIGNMENT_CONFLICT_PROBLEM = `${PROBLEMS}/assignment-conflict`;

/** 409 + Retry-After: nothing is wrong with the request, only with the moment. */
export function noDroneAvailableException(
  detail: string,
  retryAfterSeconds: number,
): ProblemException {
  return new ProblemException(
    {
      type: NO_DRONE_AVAILABLE_PROBLEM,
      title: 'No drone is available for this delivery',
      status: HttpStatus.CONFLICT,
      detail,
      retryAfterSeconds,
    },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export function outOfServiceAreaException(
  errors: FieldError[],
  area: ServiceArea,
): ProblemException {
  return new ProblemException({
    type: OUT_OF_SERVICE_AREA_PROBLEM,
    title: 'Outside the service area',
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    detail:
      `We pick up and drop off within ${area.radiusKm} km of ` +
      `${area.center.lat}, ${area.center.lng}.`,
    errors,
  });
}

export function assignmentReleasedException(deliveryId: string): ProblemException {
  return new ProblemException({
    type: ASSIGNMENT_RELEASED_PROBLEM,
    title: 'The assignment was released',
    status: HttpStatus.CONFLICT,
    detail: `The drone of delivery ${deliveryId} was released; a released delivery is not assigned again.`,
  });
}

export function assignmentCompletedException(deliveryId: string): ProblemException {
  return new ProblemException({
    type: ASSIGNMENT_COMPLETED_PROBLEM,
    title: 'The delivery was completed',
    status: HttpStatus.CONFLICT,
    detail: `The drone of delivery ${deliveryId} is unloading or has unloaded the package; its flight no longer changes.`,
  });
}

export function assignmentPickedUpException(deliveryId: string): ProblemException {
  return new ProblemException({
    type: ASSIGNMENT_PICKED_UP_PROBLEM,
    title: 'The package has been picked up',
    status: HttpStatus.CONFLICT,
    detail: `The drone of delivery ${deliveryId} has picked up the package; a delivery can be rescheduled only before pickup.`,
  });
}

export function assignmentConflictException(deliveryId: string): ProblemException {
  return new ProblemException({
    type: ASSIGNMENT_CONFLICT_PROBLEM,
    title: 'The delivery already has another assignment',
    status: HttpStatus.CONFLICT,
    detail: `Delivery ${deliveryId} already has a drone for another route; use PATCH to re-plan it.`,
  });
}
