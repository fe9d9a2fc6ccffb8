import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { CreateNotificationSubscriptionDto } from './create-notification-subscription.dto';
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
  @ApiNotFoundResponse({ description: "No such delivery, or another account's" })
  async subscribe(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Body() body: CreateNotificationSubscriptionDto,
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
  @ApiOperation({ summary: 'Read a subscription (without its webhook secret)' })
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
