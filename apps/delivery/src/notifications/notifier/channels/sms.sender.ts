import { Inject, Injectable } from '@nestjs/common';
import { type SendNotificationData } from '@drone-delivery/contracts';
import { type NotificationSender } from './notification-sender';
import { SMS_PROVIDER, type SmsProvider } from './sms-provider';

/** Text messages, through whichever SmsProvider the module provides. */
@Injectable()
export class SmsSender implements NotificationSender {
  readonly channel = 'sms';
  readonly unavailableReason: string | undefined;

  constructor(@Inject(SMS_PROVIDER) private readonly provider: SmsProvider | null) {
    if (provider === null) {
      this.unavailableReason =
        'SMS is not configured: SMS_PROVIDER_URL and SMS_PROVIDER_TOKEN are not set';
    }
  }

  async send(notification: SendNotificationData): Promise<void> {
    if (this.provider === null) throw new Error(this.unavailableReason);
    await this.provider.sendSms({
      to: notification.target,
      body: notification.text,
      idempotencyKey: `${notification.subscriptionId}:${notification.eventId}:sms`,
    });
  }
}
