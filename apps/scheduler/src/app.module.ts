import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SCHEDULER_SERVICE } from '@drone-delivery/contracts';
import { AccessTokenVerifier, ServiceTokens } from '@drone-delivery/http';
import { postgresOptions } from '@drone-delivery/persistence';
import { HealthModule, serviceTokensProvider } from '@drone-delivery/service-defaults';
import { CancellationModule } from './cancellation/cancellation.module';
import { type SchedulerConfig } from './config/scheduler.config';
import { SCHEDULER_CONFIG } from './config/scheduler.config.token';
import { SCHEDULER_MIGRATIONS } from './migrations';
import { ReschedulingModule } from './rescheduling/rescheduling.module';
import { SagaLog } from './scheduling/saga-log.entity';
import { SchedulingModule } from './scheduling/scheduling.module';

/**
 * Configuration, service tokens and the access-token verifier of the public routes (CallerGuard),
 * visible to every feature module.
 */
@Global()
@Module({})
class SchedulerCoreModule {
  static register(config: SchedulerConfig): DynamicModule {
    return {
      module: SchedulerCoreModule,
      providers: [
        { provide: SCHEDULER_CONFIG, useValue: config },
        serviceTokensProvider(SCHEDULER_SERVICE, config, { calls: true }),
        {
          provide: AccessTokenVerifier,
          useValue: new AccessTokenVerifier({
            issuer: config.AUTH_ISSUER,
            audience: config.AUTH_AUDIENCE,
            jwksUrl: config.AUTH_JWKS_URL,
          }),
        },
      ],
      exports: [SCHEDULER_CONFIG, ServiceTokens, AccessTokenVerifier],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: SchedulerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SchedulerCoreModule.register(config),
        TypeOrmModule.forRoot(
          postgresOptions({
            url: config.DATABASE_URL,
            caFile: config.DATABASE_CA_FILE,
            applicationName: SCHEDULER_SERVICE,
            entities: [SagaLog],
            migrations: SCHEDULER_MIGRATIONS,
          }),
        ),
        HealthModule,
        SchedulingModule,
        ReschedulingModule,
        CancellationModule,
      ],
    };
  }
}
