import { Module } from '@nestjs/common';
import { DELIVERY_SERVICE } from '@drone-delivery/contracts';
import { outboxRelayProvider } from '../../outbox/outbox-relay.service';
import { NotificationMatcherController } from './notification-matcher.controller';
import { NotificationMatcherService } from './notification-matcher.service';
import { NotificationOutboxRow } from './notification-outbox-row.entity';

const NOTIFICATION_COMMAND_RELAY = Symbol('NOTIFICATION_COMMAND_RELAY');

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
  ],
})
export class NotificationMatcherModule {}
