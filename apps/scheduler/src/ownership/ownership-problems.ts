import { HttpStatus, NotFoundException } from '@nestjs/common';
import { fieldErrorsProblem, ProblemException } from '@drone-delivery/service-defaults';
import { PROBLEMS } from '../common/problems';

export const ACCOUNT_MISMATCH_PROBLEM = `${PROBLEMS}/account-mismatch`;

/** 403: a customer's body names an account other than its token's. */
export function accountMismatchException(ownAccountId: string): ProblemException {
  return new ProblemException({
    type: ACCOUNT_MISMATCH_PROBLEM,
    title: 'You may only schedule deliveries for your own account',
    status: HttpStatus.FORBIDDEN,
    detail: `Your access token is for account ${ownAccountId}, and the request names another one. Leave accountId out, or give your own.`,
  });
}

/** 400: an operator acts for every account, so it must say which one a delivery is for. */
export function accountIdRequiredProblem(): ProblemException {
  return fieldErrorsProblem([
    { field: 'accountId', message: 'is required when an operator schedules a delivery' },
  ]);
}

/** Also the answer for another account's delivery, word for word. */
export function deliveryNotFound(deliveryId: string): NotFoundException {
  return new NotFoundException(`There is no delivery ${deliveryId}.`);
}

/** Also the answer for another account's request, word for word. */
export function deliveryRequestNotFound(requestId: string): NotFoundException {
  return new NotFoundException(`There is no delivery request ${requestId}.`);
}
