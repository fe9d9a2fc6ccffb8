import { HttpException, HttpStatus } from '@nestjs/common';
import { type ProblemDetails } from '@drone-delivery/contracts';
import { DownstreamUnavailableError } from '@drone-delivery/http';
import { ProblemException } from '@drone-delivery/service-defaults';
import { DownstreamRejection, UnexpectedAnswerError } from '../downstream/downstream-errors';

/** Where the scheduler's problem types live, as every service's do. */
export const PROBLEMS = 'https://drone-delivery.example/problems';
export const DEPENDENCY_UNAVAILABLE_PROBLEM = `${PROBLEMS}/dependency-unavailable`;

/** A problem document, ready to throw; one that says how long to wait also sets Retry-After. */
export function problemException(problem: ProblemDetails): ProblemException {
  const retryAfter = problem.retryAfterSeconds;
  return new ProblemException(
    problem,
    typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
  );
}

/** 503: a service we need could not answer, or answered outside its contract. */
export function dependencyUnavailableProblem(
  error: DownstreamUnavailableError | UnexpectedAnswerError,
  defaultRetryAfterSeconds: number,
): ProblemDetails {
  const retryAfterSeconds =
    error instanceof DownstreamUnavailableError && error.retryAfterSeconds !== undefined
      ? Math.max(1, error.retryAfterSeconds)
      : defaultRetryAfterSeconds;
  return {
    type: DEPENDENCY_UNAVAILABLE_PROBLEM,
    title: 'A service this request needs is unavailable',
    status: HttpStatus.SERVICE_UNAVAILABLE,
    detail: `${error.downstream} could not complete the request. Nothing was changed; try again later.`,
    retryAfterSeconds,
  };
}

/**
 * What our caller hears when a downstream call fails: a refusal the downstream's contract lists
 * (404, 409, 422, …) is passed through as it came; no answer, or an answer outside the contract,
 * is a 503. Anything else is not a downstream failure and is thrown on as it is.
 */
export function publicProblemFor(error: unknown, defaultRetryAfterSeconds: number): HttpException {
  if (error instanceof HttpException) return error;
  if (error instanceof DownstreamRejection) return problemException(error.problem);
  if (error instanceof DownstreamUnavailableError || error instanceof UnexpectedAnswerError) {
    return problemException(dependencyUnavailableProblem(error, defaultRetryAfterSeconds));
  }
  throw error;
}
