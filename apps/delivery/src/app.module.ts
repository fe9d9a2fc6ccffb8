import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DELIVERY_SERVICE } from '@drone-delivery/contracts';
import { AccessTokenVerifier, ServiceTokens } from '@drone-delivery/http';
import { postgresOptions } from '@drone-delivery/persistence';
import { HealthModule, serviceTokensProvider } from '@drone-delivery/service-defaults';
import { type DeliveryConfig } from './config/delivery.config';
import { DELIVERY_CONFIG } from './config/delivery.config.token';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { Delivery } from './deliveries/delivery.entity';
import { DELIVERY_MIGRATIONS } from './migrations';
import { NotificationOutboxRow } from './notifications/matcher/notification-outbox-row.entity';
import { NotificationsModule } from './notifications/notifications.module';
import { NotificationDelivery } from './notifications/notifier/notification-delivery.entity';
import { NotificationSubscription } from './notifications/subscriptions/notification-subscription.entity';
import { OutboxEvent } from './outbox/outbox-event.entity';
import { TelemetryModule } from './telemetry/telemetry.module';

/**
 * Configuration, service tokens (internal routes) and the access-token verifier (CallerGuard on
 * public routes), visible to every feature module.
 */
@Global()
@Module({})
class DeliveryCoreModule {
  static register(config: DeliveryConfig): DynamicModule {
    return {
      module: DeliveryCoreModule,
      providers: [
        { provide: DELIVERY_CONFIG, useValue: config },
        serviceTokensProvider(DELIVERY_SERVICE, config, { serves: true }),
        {
          provide: AccessTokenVerifier,
          useValue: new AccessTokenVerifier({
            issuer: config.AUTH_ISSUER,
            audience: config.AUTH_AUDIENCE,
            jwksUrl: config.AUTH_JWKS_URL,
          }),
        },
      ],
      exports: [DELIVERY_CONFIG, ServiceTokens, AccessTokenVerifier],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: DeliveryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DeliveryCoreModule.register(config),
        TypeOrmModule.forRoot(
          postgresOptions({
            url: config.DATABASE_URL,
            caFile: config.DATABASE_CA_FILE,
            applicationName: DELIVERY_SERVICE,
            entities: [
              Delivery,
              OutboxEvent,
              NotificationSubscription,
              NotificationOutboxRow,
              NotificationDelivery,
            ],
            migrations: DELIVERY_MIGRATIONS,
          }),
        ),
        HealthModule,
        DeliveriesModule,
        TelemetryModule,
        NotificationsModule,
      ],
    };
  }
}
