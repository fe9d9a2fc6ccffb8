import { Module } from '@nestjs/common';
import { NotificationSubscriptionsController } from './notification-subscriptions.controller';
import { NotificationSubscriptionsService } from './notification-subscriptions.service';

/** The public subscribe route and the subscriptions it stores. */
@Module({
  controllers: [NotificationSubscriptionsController],
  providers: [NotificationSubscriptionsService],
})
export class NotificationSubscriptionsModule {}
