import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  NOTIFICATION_SUBSCRIPTION_REQUEST_SCHEMA,
  type NotificationSubscriptionRequest,
} from '@drone-delivery/contracts';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { NotificationSubscriptionRequestPipe } from './notification-subscription-request.pipe';
import { NotificationSubscriptionViewDto } from './notification-subscription-view.dto';
import { NotificationSubscriptionsService } from './notification-subscriptions.service';

interface HttpResponse {
  setHeader(name: string, value: string): unknown;
}

/** Public, like the delivery status: on a delivery of the caller's account (any, for an operator). */
@ApiTags('public')
@PublicApi()
@Controller('api/v1/deliveries/:deliveryId/notifications')
export class NotificationSubscriptionsController {
  constructor(private readonly subscriptions: NotificationSubscriptionsService) {}

  @Post()
  @ApiOperation({ summary: "Subscribe to a delivery's events by e-mail, SMS and/or webhook" })
  @ApiCreatedResponse({
    type: NotificationSubscriptionViewDto,
    description: 'Location: /api/v1/deliveries/{deliveryId}/notifications/{subscriptionId}',
  })
  @ApiBody({
    // The contract's JSON Schema, the one the notification commands' targets follow.
    schema: NOTIFICATION_SUBSCRIPTION_REQUEST_SCHEMA,
    description: 'At least one of email, sms and webhookUrl',
  })
  @ApiBadRequestResponse({
    description:
      'A field that does not fit its channel, or a webhook this service will not call ' +
      '(only https to public addresses unless the deployment allows more)',
  })
  @ApiNotFoundResponse({ description: "No such delivery, or another account's" })
  async subscribe(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    // Typed by the contract, not a class: the global ValidationPipe leaves it to the schema.
    @Body(NotificationSubscriptionRequestPipe) body: NotificationSubscriptionRequest,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<NotificationSubscriptionViewDto> {
    const subscription = await this.subscriptions.subscribe(deliveryId, body, caller);
    response.setHeader(
      'location',
      `/api/v1/deliveries/${subscription.deliveryId}/notifications/${subscription.subscriptionId}`,
    );
    return subscription;
  }

  @Get(':subscriptionId')
  @ApiOperation({
    summary:
      'Read a subscription (without its webhook secret) and what became of its notifications',
  })
  @ApiOkResponse({ type: NotificationSubscriptionViewDto })
  @ApiNotFoundResponse({ description: "No such subscription or delivery, or another account's" })
  findSubscription(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Param('subscriptionId', ParseUUIDPipe) subscriptionId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<NotificationSubscriptionViewDto> {
    return this.subscriptions.findSubscription(deliveryId, subscriptionId, caller);
  }
}
