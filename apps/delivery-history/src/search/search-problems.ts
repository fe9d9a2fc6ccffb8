import { ForbiddenException } from '@nestjs/common';

/** A customer naming another account: refused outright, as the account is the token's. */
export function otherAccountSearchProblem(): ForbiddenException {
  return new ForbiddenException(
    "You may search only your own account's deliveries: leave out accountId, or give your own.",
  );
}
