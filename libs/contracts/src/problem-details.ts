/**
 * The one error shape of every HTTP API in the system: RFC 9457 problem details, served as
 * `application/problem+json`. `errors` lists field-level problems of a rejected request.
 */
export interface ProblemDetails {
  /** A URI naming the kind of problem; `about:blank` when the status says it all. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  /** Extension members, e.g. `retryAfterSeconds`. */
  [extension: string]: unknown;
}

export interface FieldError {
  /** JSON pointer-like path of the offending field, e.g. `package.weightKg`. */
  field: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.type === 'string' &&
    typeof candidate.title === 'string' &&
    typeof candidate.status === 'number'
  );
}
