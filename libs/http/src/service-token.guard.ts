import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { ServiceTokenError, ServiceTokens } from './service-tokens';

/**
 * Guards internal routes: the request must carry a service token addressed to this service.
 * 401 without a token or with a bad, forged or expired one; 403 with a token for another service.
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  constructor(private readonly tokens: ServiceTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; serviceCaller?: string }>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    try {
      const { caller } = await this.tokens.verify(token);
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
