import { type DownstreamResponse } from '@drone-delivery/http';
import { isProblemDetails, type ProblemDetails } from '@drone-delivery/contracts';

/**
 * A refusal the downstream's contract lists (e.g. 404, 409, 422), with its problem document. The
 * request had no effect there; callers map it to their own answer or pass it through.
 */
export class DownstreamRejection extends Error {
  readonly problem: ProblemDetails;

  constructor(
    readonly downstream: string,
    response: DownstreamResponse,
  ) {
    super(`${downstream} refused the request with ${response.status}`);
    this.name = 'DownstreamRejection';
    this.problem = isProblemDetails(response.body)
      ? response.body
      : { type: 'about:blank', title: 'Rejected', status: response.status };
  }

  get status(): number {
    return this.problem.status;
  }
}

/**
 * An answer the downstream's contract does not list: a 500, or a 4xx that means the two sides
 * disagree about the contract. Treated like an unavailable downstream (503 to our caller); a 5xx
 * may have taken effect before it failed, a 4xx did not.
 */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly downstream: string,
    readonly status: number,
    body: unknown,
  ) {
    super(
      `${downstream} answered ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`.slice(
        0,
        500,
      ),
    );
    this.name = 'UnexpectedAnswerError';
  }

  get mayHaveTakenEffect(): boolean {
    return this.status >= 500;
  }
}
