import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import {
  type FieldError,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
} from '@drone-delivery/contracts';

import { isDependencyOutage } from './dependency-outage';
interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  send(body: string): void;
  headersSent: boolean;
}

/**
 * An HttpException whose response is a whole problem document, for errors that carry more than a
 * status and a message: field errors, a problem type, a Retry-After.
 */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem, problem.status);
  }
}

/** A 400 listing every field that is wrong, so a client can fix them all at once. */
export function fieldErrorsProblem(errors: FieldError[], detail?: string): ProblemException {
  return new ProblemException({
    type: 'https://drone-delivery.example/problems/validation',
    title: 'Your request is not valid',
    status: HttpStatus.BAD_REQUEST,
    detail: detail ?? errors.map((error) => `${error.field}: ${error.message}`).join('; '),
    errors,
  });
}

/**
 * Every error leaves every service in one shape: RFC 9457 problem details as
 * `application/problem+json`. Unexpected errors become a 500 whose detail reveals nothing
 * internal; they are logged with their stack instead.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const request = host
      .switchToHttp()
      .getRequest<{ method: string; originalUrl?: string; url: string }>();
    const { problem, headers } = this.toProblem(exception);
    const route = `${request.method} ${request.originalUrl ?? request.url}`;
    if (isPostgresDataError(exception)) {
      // A 400 all the same, but validation at entry should have caught it: say where.
      this.logger.warn(
        `${route} reached the database with a value it refused: ${describe(exception)}`,
      );
    } else if (problem.status === 503 && !(exception instanceof HttpException)) {
      this.logger.warn(`${route} answered 503, a dependency is away: ${describe(exception)}`);
    } else if (problem.status < 500) {
      // The client's mistake: the answer says it all.
    } else if (!(exception instanceof HttpException)) {
      this.logger.error(
        `${route} failed: ${describe(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    } else {
      // Answered on purpose (a downstream away, no drone free: 503 with Retry-After): an
      // operator wants to see it, but without a stack trace under every request of a busy demo.
      this.logger.warn(`${route} answered ${problem.status}: ${problem.detail ?? problem.title}`);
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.setHeader('content-type', PROBLEM_CONTENT_TYPE);
    response.status(problem.status).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): {
    problem: ProblemDetails;
    headers: Record<string, string>;
  } {
    if (exception instanceof ProblemException) {
      return { problem: exception.problem, headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'string'
          ? body
          : ((body as { message?: string | string[] }).message ?? exception.message);
      return {
        problem: {
          type: 'about:blank',
          title: statusTitle(status),
          status,
          detail: Array.isArray(message) ? message.join('; ') : message,
        },
        headers: {},
      };
    }
    // Errors raised by Express' body parser before any handler runs: malformed JSON, a body too
    // large, an unsupported charset. They carry their own 4xx status.
    const parserError = exception as { status?: number; type?: string; message?: string };
    if (
      typeof parserError.status === 'number' &&
      parserError.status >= 400 &&
      parserError.status < 500 &&
      typeof parserError.type === 'string'
    ) {
      return {
        problem: {
          type: 'about:blank',
          title: statusTitle(parserError.status),
          status: parserError.status,
          detail:
            parserError.type === 'entity.parse.failed'
              ? 'The request body is not valid JSON.'
              : String(parserError.message),
        },
        headers: {},
      };
    }
    if (isPostgresDataError(exception)) {
      return {
        problem: {
          type: 'https://drone-delivery.example/problems/validation',
          title: 'Your request is not valid',
          status: HttpStatus.BAD_REQUEST,
          detail: 'A value in the request cannot be stored as it is.',
        },
        headers: {},
      };
    }
    if (isDependencyOutage(exception)) {
      // The database or the broker is away (a restart, a failover): the request may well
      // succeed in a moment, so say when to try again rather than "our bug".
      return {
        problem: {
          type: 'about:blank',
          title: statusTitle(503),
          status: HttpStatus.SERVICE_UNAVAILABLE,
          detail: 'A system this service depends on is unavailable. Try again shortly.',
        },
        headers: { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) },
      };
    }
    return {
      problem: {
        type: 'about:blank',
        title: statusTitle(500),
        status: 500,
        detail: 'Something went wrong on our side. It has been logged.',
      },
      headers: {},
    };
  }
}

/** Retry-After of a 503 for a database or broker outage: about a restart's length. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Postgres refusing a value: class 22 (data exception: NUL in text, a time out of range, a
 * number too large for its column) or 23514 (a CHECK constraint). The request carried it, so it
 * is the client's 400, not our 500. This is the last line: each case found is also checked at
 * entry, where the client learns which field is wrong.
 */
function isPostgresDataError(exception: unknown): boolean {
  const code =
    (exception as { driverError?: { code?: unknown } } | undefined)?.driverError?.code ??
    (exception as { code?: unknown } | undefined)?.code;
  return (
    exception instanceof Error &&
    typeof code === 'string' &&
    /^[0-9A-Z]{5}$/.test(code) &&
    (code.startsWith('22') || code === '23514')
  );
}

function statusTitle(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word, index) => (index === 0 ? word[0].toUpperCase() + word.slice(1) : word))
    .join(' ');
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
