import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokenVerifier } from '@drone-delivery/http';
import { postgresOptions } from '@drone-delivery/persistence';
import { API_GATEWAY_SERVICE } from './api-gateway.service';
import { type ApiGatewayConfig } from './config/api-gateway.config';
import { API_GATEWAY_CONFIG } from './config/api-gateway.config.token';
import { DashboardModule } from './dashboard/dashboard.module';
import { DocsModule } from './docs/docs.module';
import { EdgeModule } from './edge/edge.module';
import { StreamModule } from './stream/stream.module';
import { GatewayHealthModule } from './health/gateway-health.module';
import { API_GATEWAY_MIGRATIONS } from './migrations';

/** Configuration and the access-token verifier, visible to every feature module. */
@Global()
@Module({})
class ApiGatewayCoreModule {
  static register(config: ApiGatewayConfig): DynamicModule {
    return {
      module: ApiGatewayCoreModule,
      providers: [
        { provide: API_GATEWAY_CONFIG, useValue: config },
        {
          provide: AccessTokenVerifier,
          useValue: new AccessTokenVerifier({
            issuer: config.AUTH_ISSUER,
            audience: config.AUTH_AUDIENCE,
            jwksUrl: config.AUTH_JWKS_URL,
          }),
        },
      ],
      exports: [API_GATEWAY_CONFIG, AccessTokenVerifier],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: ApiGatewayConfig): DynamicModule {
    const database = postgresOptions({
      url: config.DATABASE_URL,
      caFile: config.DATABASE_CA_FILE,
      applicationName: API_GATEWAY_SERVICE,
      entities: [],
      migrations: API_GATEWAY_MIGRATIONS,
    });
    return {
      module: AppModule,
      imports: [
        ApiGatewayCoreModule.register(config),
        TypeOrmModule.forRoot({
          ...database,
          // Every call waits on the rate-limit store: a slow database must not hang the API.
          extra: {
            query_timeout: config.RATE_LIMIT_STORE_TIMEOUT_MS,
            statement_timeout: config.RATE_LIMIT_STORE_TIMEOUT_MS,
          },
        }),
        GatewayHealthModule,
        EdgeModule,
        DocsModule,
        StreamModule,
        DashboardModule,
      ],
    };
  }
}
