import { Logger, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';
import { DELIVERY_SERVICE } from '@drone-delivery/contracts';
import { inboxPruner } from '@drone-delivery/messaging';
import { type DeliveryConfig } from '../../config/delivery.config';
import { DELIVERY_CONFIG } from '../../config/delivery.config.token';
import { outboxRelayProvider } from '../../outbox/outbox-relay.service';
import { NotificationMatcherController } from './notification-matcher.controller';
import { NotificationMatcherService } from './notification-matcher.service';
import { NotificationOutboxRow } from './notification-outbox-row.entity';

const NOTIFICATION_COMMAND_RELAY = Symbol('NOTIFICATION_COMMAND_RELAY');
const MATCHER_INBOX_PRUNER = Symbol('MATCHER_INBOX_PRUNER');

/**
 * delivery.events.v1 → notification.commands.v1: the matcher, its outbox of commands and the
 * relay that publishes them.
 */
@Module({
  controllers: [NotificationMatcherController],
  providers: [
    NotificationMatcherService,
    outboxRelayProvider(NOTIFICATION_COMMAND_RELAY, {
      outbox: NotificationOutboxRow,
      clientId: `${DELIVERY_SERVICE}-notification-outbox`,
    }),
    {
      // Deletes the matcher's old inbox entries while the service runs (its lifecycle hooks).
      provide: MATCHER_INBOX_PRUNER,
      inject: [getDataSourceToken(), DELIVERY_CONFIG],
      useFactory: (dataSource: DataSource, config: DeliveryConfig) => {
        const logger = new Logger('InboxPruner');
        return inboxPruner({
          dataSource,
          retentionMs: config.INBOX_RETENTION_HOURS * 3_600_000,
          log: (level, message) => logger[level](message),
        });
      },
    },
  ],
})
export class NotificationMatcherModule {}
