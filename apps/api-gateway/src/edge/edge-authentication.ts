import {
  ForbiddenException,
  type HttpException,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import {
  AccessTokenError,
  AccessTokenVerifier,
  bearerToken,
  type Caller,
} from '@drone-delivery/http';

export type Authentication = { caller: Caller } | { rejection: AccessTokenError };

interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

/**
 * The gateway's check of the access token, before anything is forwarded: the same verifier, and
 * the same answers, as CallerGuard gives on the services (which check the token again).
 */
@Injectable()
export class EdgeAuthentication {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  async authenticate(authorization: string | string[] | undefined): Promise<Authentication> {
    try {
      return { caller: await this.verifier.verify(bearerToken(authorization)) };
    } catch (error) {
      if (!(error instanceof AccessTokenError)) throw error;
      return { rejection: error };
    }
  }

  /** 401 + WWW-Authenticate (RFC 6750), 403 for a missing scope, 503 when the keys are away. */
  rejectionOf(error: AccessTokenError, response: HeaderTarget): HttpException {
    if (error.code === 'unavailable') {
      response.setHeader('retry-after', '5');
      return new ServiceUnavailableException(error.message);
    }
    response.setHeader(
      'www-authenticate',
      `Bearer error="${error.code}", error_description="${error.message.replace(/"/g, "'")}"`,
    );
    return error.code === 'insufficient_scope'
      ? new ForbiddenException(error.message)
      : new UnauthorizedException(error.message);
  }
}
