import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AccessTokenError, AccessTokenVerifier, type Caller } from './access-tokens';

interface PublicRequest {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
}

interface PublicResponse {
  setHeader(name: string, value: string): unknown;
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * Guards public routes: the request must carry an access token of the identity provider
 * (`Authorization: Bearer <jwt>`). 401 with `WWW-Authenticate` (RFC 6750) when it is missing or
 * not valid; 403 when it lacks a scope; 503 when the provider's keys cannot be fetched. The caller
 * it names is read with `@CurrentCaller()`.
 */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<PublicRequest>();
    try {
      request.caller = await this.verifier.verify(bearerToken(request.headers.authorization));
      return true;
    } catch (error) {
      if (!(error instanceof AccessTokenError)) throw error;
      const response = http.getResponse<PublicResponse>();
      if (error.code === 'unavailable') {
        response.setHeader('retry-after', '5');
        throw new ServiceUnavailableException(error.message);
      }
      response.setHeader(
        'www-authenticate',
        `Bearer error="${error.code}", error_description="${error.message.replace(/"/g, "'")}"`,
      );
      throw error.code === 'insufficient_scope'
        ? new ForbiddenException(error.message)
        : new UnauthorizedException(error.message);
    }
  }
}

/** The verified caller of a route guarded by CallerGuard. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const caller = context.switchToHttp().getRequest<PublicRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a route without CallerGuard');
  return caller;
});

/**
 * A controller of public routes: CallerGuard on every route, and OpenAPI saying so (bearer
 * token, 401 and 403). One decorator, so no public controller forgets one of the four.
 */
export function PublicApi(): ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'No access token, or one that is expired, forged or not for this API',
    }),
    ApiForbiddenResponse({
      description: 'The token has neither the customer nor the operator scope',
    }),
    UseGuards(CallerGuard),
  );
}
