import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenVerifier } from '@drone-delivery/http';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { ServiceAreaController } from './service-area.controller';

/**
 * The service's one public route. Served only when the access tokens can be checked
 * (AUTH_ISSUER and AUTH_JWKS_URL): the service checks them again behind the gateway, as every
 * service does on its public routes.
 */
@Module({})
export class ServiceAreaModule {
  static register(config: DroneManagementConfig): DynamicModule {
    if (!config.AUTH_ISSUER || !config.AUTH_JWKS_URL) return { module: ServiceAreaModule };
    return {
      module: ServiceAreaModule,
      controllers: [ServiceAreaController],
      providers: [
        {
          provide: AccessTokenVerifier,
          useValue: new AccessTokenVerifier({
            issuer: config.AUTH_ISSUER,
            audience: config.AUTH_AUDIENCE,
            jwksUrl: config.AUTH_JWKS_URL,
          }),
        },
      ],
    };
  }
}
