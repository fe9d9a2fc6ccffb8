import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { bearerToken } from './caller.guard';
import { ServiceTokenError, ServiceTokens } from './service-tokens';

const CALLERS = Symbol('internal-api-callers');

/**
 * Guards internal routes: the request must carry a service token addressed to this service,
 * signed by a caller the route names. 401 without a token or with a bad, forged or expired one;
 * 403 with a genuine token for another service or from a caller the route does not accept.
 * A route that names no callers accepts none (fail closed), so a new controller cannot be left
 * open by forgetting the list.
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: ServiceTokens,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | string[] | undefined>;
      serviceCaller?: string;
    }>();
    const callers =
      this.reflector.getAllAndOverride<readonly string[] | undefined>(CALLERS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    try {
      const { caller } = await this.tokens.verify(
        bearerToken(request.headers.authorization),
        callers,
      );
      request.serviceCaller = caller;
      return true;
    } catch (error) {
      if (!(error instanceof ServiceTokenError)) throw error;
      throw error.kind === 'forbidden'
        ? new ForbiddenException(error.message)
        : new UnauthorizedException(error.message);
    }
  }
}

/**
 * A controller (or route) of internal routes: ServiceTokenGuard, the services that may call it,
 * and OpenAPI saying so. `@InternalApi({ callers: ['scheduler'] })`.
 */
export function InternalApi(options: {
  callers: readonly string[];
}): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(CALLERS, options.callers),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No service token, or a forged or expired one' }),
    ApiForbiddenResponse({
      description: `A token for another service, or from a service other than ${options.callers.join(', ')}`,
    }),
    UseGuards(ServiceTokenGuard),
  );
}
