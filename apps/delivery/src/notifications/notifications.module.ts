import { Module } from '@nestjs/common';
import { NotificationMatcherModule } from './matcher/notification-matcher.module';
import { NotifierModule } from './notifier/notifier.module';
import { NotificationSubscriptionsModule } from './subscriptions/notification-subscriptions.module';

/**
 * Notifications of delivery events: subscribe (HTTP) → matcher (delivery.events.v1 → one
 * command per subscription channel, through its own outbox) → notifier
 * (notification.commands.v1 → e-mail, SMS, webhook).
 */
@Module({
  imports: [NotificationSubscriptionsModule, NotificationMatcherModule, NotifierModule],
})
export class NotificationsModule {}
