import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';
import { AccessTokenVerifier } from '@drone-delivery/http';
import { inboxPruner } from '@drone-delivery/messaging';
import { postgresOptions } from '@drone-delivery/persistence';
import { HealthModule } from '@drone-delivery/service-defaults';
import {
  DELIVERY_HISTORY_SERVICE,
  type DeliveryHistoryConfig,
} from './config/delivery-history.config';
import { DELIVERY_HISTORY_CONFIG } from './config/delivery-history.config.token';
import { IngestionModule } from './ingestion/ingestion.module';
import { DELIVERY_HISTORY_MIGRATIONS } from './migrations';
import { DeliverySummary } from './search/delivery-summary.entity';
import { SearchModule } from './search/search.module';
import { TimelineEvent } from './timeline/timeline-event.entity';
import { TimelineModule } from './timeline/timeline.module';

/**
 * Configuration and the access-token verifier of its public routes (CallerGuard), visible to
 * every feature module. No ServiceTokens: this service has no internal routes and calls no
 * other service.
 */
@Global()
@Module({})
class DeliveryHistoryCoreModule {
  static register(config: DeliveryHistoryConfig): DynamicModule {
    return {
      module: DeliveryHistoryCoreModule,
      providers: [
        { provide: DELIVERY_HISTORY_CONFIG, useValue: config },
        {
          provide: AccessTokenVerifier,
          useValue: new AccessTokenVerifier({
            issuer: config.AUTH_ISSUER,
            audience: config.AUTH_AUDIENCE,
            jwksUrl: config.AUTH_JWKS_URL,
          }),
        },
      ],
      exports: [DELIVERY_HISTORY_CONFIG, AccessTokenVerifier],
    };
  }
}

const INBOX_PRUNER = Symbol('INBOX_PRUNER');

@Module({})
export class AppModule {
  static register(config: DeliveryHistoryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DeliveryHistoryCoreModule.register(config),
        TypeOrmModule.forRoot(
          postgresOptions({
            url: config.DATABASE_URL,
            caFile: config.DATABASE_CA_FILE,
            applicationName: DELIVERY_HISTORY_SERVICE,
            entities: [TimelineEvent, DeliverySummary],
            migrations: DELIVERY_HISTORY_MIGRATIONS,
          }),
        ),
        HealthModule,
        TimelineModule,
        SearchModule,
        IngestionModule,
      ],
      providers: [
        {
          // Deletes old inbox entries while the service runs (its lifecycle hooks).
          provide: INBOX_PRUNER,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource) => {
            const logger = new Logger('InboxPruner');
            return inboxPruner({
              dataSource,
              retentionMs: config.INBOX_RETENTION_HOURS * 3_600_000,
              log: (level, message) => logger[level](message),
            });
          },
        },
      ],
    };
  }
}
