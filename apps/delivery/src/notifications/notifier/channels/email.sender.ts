import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { type SendNotificationData } from '@drone-delivery/contracts';
import { type DeliveryConfig } from '../../../config/delivery.config';
import { DELIVERY_CONFIG } from '../../../config/delivery.config.token';
import { type NotificationSender } from './notification-sender';

/** E-mail over SMTP (SMTP_URL, SMTP_FROM), through nodemailer. */
@Injectable()
export class EmailSender implements NotificationSender, OnApplicationShutdown {
  readonly channel = 'email';
  readonly unavailableReason: string | undefined;
  private readonly transporter: Transporter | undefined;

  constructor(@Inject(DELIVERY_CONFIG) config: DeliveryConfig) {
    if (config.SMTP_URL === undefined) {
      this.unavailableReason = 'e-mail is not configured: SMTP_URL is not set';
      return;
    }
    const timeoutMs = config.NOTIFY_SEND_TIMEOUT_MS;
    this.transporter = createTransport(
      {
        url: config.SMTP_URL,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      },
      { from: config.SMTP_FROM },
    );
  }

  async send(notification: SendNotificationData): Promise<void> {
    if (this.transporter === undefined) throw new Error(this.unavailableReason);
    await this.transporter.sendMail({
      to: notification.target,
      subject: notification.subject,
      text: notification.text,
      // The same id for every send of one notification: a mail system that sees it twice (the
      // notifier crashed between sending and recording) can tell it is one message.
      messageId: `<${notification.eventId}.${notification.subscriptionId}@drone-delivery.example>`,
      headers: {
        'x-drone-delivery-id': notification.deliveryId,
        'x-drone-delivery-event-id': notification.eventId,
      },
    });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
