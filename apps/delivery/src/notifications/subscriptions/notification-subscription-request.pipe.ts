import { Injectable, type PipeTransform } from '@nestjs/common';
import {
  type NotificationSubscriptionRequest,
  subscriptionRequestErrors,
} from '@drone-delivery/contracts';
import { fieldErrorsProblem } from '@drone-delivery/service-defaults';
import { WebhookDestinationPolicy } from '../webhook-destinations/webhook-destination-policy';

/**
 * The subscribe body, checked against the contract's schema (the same rule the notification
 * commands' `target` follows), then the webhook against the deployment's destination policy:
 * anything either refuses is a 400 naming the field, never a row that fails later.
 */
@Injectable()
export class NotificationSubscriptionRequestPipe implements PipeTransform {
  constructor(private readonly webhooks: WebhookDestinationPolicy) {}

  transform(body: unknown): NotificationSubscriptionRequest {
    const errors = subscriptionRequestErrors(body);
    if (errors.length > 0) throw fieldErrorsProblem(errors);
    const request = body as NotificationSubscriptionRequest;
    const refusal =
      request.webhookUrl === undefined ? undefined : this.webhooks.refusalOf(request.webhookUrl);
    if (refusal !== undefined)
      throw fieldErrorsProblem([{ field: 'webhookUrl', message: refusal }]);
    return request;
  }
}
