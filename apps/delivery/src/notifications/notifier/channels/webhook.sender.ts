import { Inject, Injectable } from '@nestjs/common';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type LookupFunction } from 'node:net';
import { type SendNotificationData } from '@drone-delivery/contracts';
import { type DeliveryConfig } from '../../../config/delivery.config';
import { DELIVERY_CONFIG } from '../../../config/delivery.config.token';
import { type NotificationSubscription } from '../../subscriptions/notification-subscription.entity';
import {
  WebhookDestinationPolicy,
  WebhookDestinationRefused,
} from '../../webhook-destinations/webhook-destination-policy';
import { type NotificationSender } from './notification-sender';
import { describeSendFailure, PermanentSendFailure } from './send-failure';
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
 * (it could lead anywhere), or no answer within the timeout is a failure. A URL the
 * WebhookDestinationPolicy refuses, before connecting or on the addresses its host resolves to,
 * is a permanent failure. Subscribers' endpoints are outside the system, so this is not the
 * DownstreamClient of service-to-service calls (no service token, no shared breaker), and it
 * is node:http rather than fetch: only node:http lets the policy's lookup pick the address.
 */
@Injectable()
export class WebhookSender implements NotificationSender {
  readonly channel = 'webhook';
  readonly unavailableReason = undefined;

  constructor(
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    private readonly destinations: WebhookDestinationPolicy,
  ) {}

  async send(
    notification: SendNotificationData,
    subscription: NotificationSubscription,
  ): Promise<void> {
    if (subscription.webhookSecret === null) {
      throw new PermanentSendFailure('the subscription has no webhook');
    }
    const destination = this.checkedDestination(notification.target);
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
    const status = await post(destination.url, destination.lookup, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'drone-delivery-webhooks/1',
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.signature]: webhookSignature(subscription.webhookSecret, timestamp, body),
      },
      body,
      timeoutMs: this.config.NOTIFY_SEND_TIMEOUT_MS,
    }).catch((error: unknown) => {
      if (error instanceof WebhookDestinationRefused) throw new PermanentSendFailure(error.message);
      throw new Error(`the webhook did not answer: ${describeSendFailure(error)}`);
    });
    if (status < 200 || status > 299) throw new Error(`the webhook answered ${status}`);
  }

  private checkedDestination(
    target: string,
  ): ReturnType<WebhookDestinationPolicy['destinationOf']> {
    try {
      return this.destinations.destinationOf(target);
    } catch (error) {
      if (error instanceof WebhookDestinationRefused) throw new PermanentSendFailure(error.message);
      throw error;
    }
  }
}

/** One POST, answering the status; the answer's body is not read. Redirects are not followed. */
function post(
  url: URL,
  lookup: LookupFunction | undefined,
  options: { headers: OutgoingHttpHeaders; body: string; timeoutMs: number },
): Promise<number> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
        ...(lookup !== undefined && { lookup }),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
