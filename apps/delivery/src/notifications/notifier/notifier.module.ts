import { Module } from '@nestjs/common';
import { type DeliveryConfig } from '../../config/delivery.config';
import { DELIVERY_CONFIG } from '../../config/delivery.config.token';
import { EmailSender } from './channels/email.sender';
import { HttpSmsProvider } from './channels/http-sms-provider';
import { NOTIFICATION_SENDERS, type NotificationSender } from './channels/notification-sender';
import { SMS_PROVIDER, type SmsProvider } from './channels/sms-provider';
import { SmsSender } from './channels/sms.sender';
import { WebhookSender } from './channels/webhook.sender';
import { webhookDestinationPolicyProvider } from '../webhook-destinations/webhook-destination-policy';
import { NotifierController } from './notifier.controller';
import { NotifierService } from './notifier.service';

/** notification.commands.v1 → e-mail, SMS, webhooks: the notifier and its channels. */
@Module({
  controllers: [NotifierController],
  providers: [
    NotifierService,
    EmailSender,
    SmsSender,
    WebhookSender,
    webhookDestinationPolicyProvider,
    {
      provide: SMS_PROVIDER,
      inject: [DELIVERY_CONFIG],
      useFactory: (config: DeliveryConfig): SmsProvider | null =>
        config.SMS_PROVIDER_URL === undefined || config.SMS_PROVIDER_TOKEN === undefined
          ? null
          : new HttpSmsProvider({
              url: config.SMS_PROVIDER_URL,
              token: config.SMS_PROVIDER_TOKEN,
              timeoutMs: config.NOTIFY_SEND_TIMEOUT_MS,
            }),
    },
    {
      provide: NOTIFICATION_SENDERS,
      inject: [EmailSender, SmsSender, WebhookSender],
      useFactory: (...senders: NotificationSender[]) => senders,
    },
  ],
})
export class NotifierModule {}
