import { Inject, Injectable } from '@nestjs/common';
import { type SendNotificationData } from '@drone-delivery/contracts';
import { type DeliveryConfig } from '../../../config/delivery.config';
import { DELIVERY_CONFIG } from '../../../config/delivery.config.token';
import { type NotificationSubscription } from '../../subscriptions/notification-subscription.entity';
import { type NotificationSender } from './notification-sender';
import { describeSendFailure } from './send-failure';
import { WEBHOOK_HEADERS, webhookSignature } from './webhook-signature';

/** What a webhook receives: the delivery event, summed up. */
export interface WebhookPayload {
  subscriptionId: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  subject: string;
  text: string;
}

/**
 * Webhooks: `POST <webhookUrl>` with the event summary as JSON, signed with the subscription's
 * secret (see webhookSignature). Any 2xx means accepted; anything else, a redirect included
 * (it could lead anywhere), or no answer within the timeout is a failure. Subscribers'
 * endpoints are outside the system, so this is plain fetch, not the DownstreamClient of
 * service-to-service calls (no service token, no shared breaker).
 */
@Injectable()
export class WebhookSender implements NotificationSender {
  readonly channel = 'webhook';
  readonly unavailableReason = undefined;

  constructor(@Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig) {}

  async send(
    notification: SendNotificationData,
    subscription: NotificationSubscription,
  ): Promise<void> {
    if (subscription.webhookSecret === null) throw new Error('the subscription has no webhook');
    const payload: WebhookPayload = {
      subscriptionId: notification.subscriptionId,
      deliveryId: notification.deliveryId,
      eventId: notification.eventId,
      eventType: notification.eventType,
      occurredAt: notification.occurredAt,
      subject: notification.subject,
      text: notification.text,
    };
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1_000));
    const response = await fetch(notification.target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'drone-delivery-webhooks/1',
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.signature]: webhookSignature(subscription.webhookSecret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.config.NOTIFY_SEND_TIMEOUT_MS),
    }).catch((error: unknown) => {
      throw new Error(`the webhook did not answer: ${describeSendFailure(error)}`);
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
  }
}
