import { type NotificationChannel, type SendNotificationData } from '@drone-delivery/contracts';
import { type NotificationSubscription } from '../../subscriptions/notification-subscription.entity';

/** One way of telling a subscriber: e-mail, SMS or webhook. */
export interface NotificationSender {
  readonly channel: NotificationChannel;
  /** Why this deployment cannot send on the channel (a setting is missing), or undefined. */
  readonly unavailableReason: string | undefined;
  /** Resolves once the far side accepted the notification; throws saying why it did not. */
  send(notification: SendNotificationData, subscription: NotificationSubscription): Promise<void>;
}

/** Every NotificationSender of the service, one per channel. */
export const NOTIFICATION_SENDERS = Symbol('NOTIFICATION_SENDERS');
