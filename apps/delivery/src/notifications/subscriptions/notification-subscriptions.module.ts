import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../../deliveries/deliveries.module';
import { webhookDestinationPolicyProvider } from '../webhook-destinations/webhook-destination-policy';
import { NotificationSubscriptionsController } from './notification-subscriptions.controller';
import { NotificationSubscriptionsService } from './notification-subscriptions.service';

/** The public subscribe route and the subscriptions it stores. */
@Module({
  // Whose delivery it is: the one ownership check of every public delivery route.
  imports: [DeliveriesModule],
  controllers: [NotificationSubscriptionsController],
  providers: [NotificationSubscriptionsService, webhookDestinationPolicyProvider],
})
export class NotificationSubscriptionsModule {}
