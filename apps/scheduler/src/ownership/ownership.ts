import { type Caller, mayAccessAccount } from '@drone-delivery/http';
import { accountIdRequiredProblem, accountMismatchException } from './ownership-problems';

/**
 * The account a new delivery is for. A customer orders for the account of its token: the body
 * may name it again, but never another one (403). An operator orders for any account, and says
 * which in the body (400 when it does not).
 */
export function accountToScheduleFor(caller: Caller, requestedAccountId: string | undefined) {
  const requested = requestedAccountId?.toLowerCase();
  if (caller.operator) {
    if (requested === undefined) throw accountIdRequiredProblem();
    return requested;
  }
  // A customer's token always names its account (AccessTokenVerifier refuses it otherwise).
  const own = caller.accountId as string;
  if (requested !== undefined && requested !== own) throw accountMismatchException(own);
  return own;
}

/**
 * The record if the caller may see it, else the very error an unknown id gets: another account's
 * delivery or request is "not found", word for word, so ids cannot be probed. Every ownership
 * check of the scheduler's public routes goes through here.
 */
export function ownedOrNotFound<T extends { accountId: string }>(
  caller: Caller,
  record: T | null,
  notFound: () => Error,
): T {
  if (record === null || !mayAccessAccount(caller, record.accountId)) throw notFound();
  return record;
}
