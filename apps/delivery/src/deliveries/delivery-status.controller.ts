import { Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type DeliveryStatusView } from '@drone-delivery/contracts';
import { type Caller, CallerGuard, CurrentCaller } from '@drone-delivery/http';
import { DeliveriesService } from './deliveries.service';
import { DeliveryStatusViewDto } from './delivery-view.dto';

/** Public: a customer follows its account's deliveries, an operator any delivery. */
@ApiTags('public')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No access token, or one that is not valid' })
@ApiForbiddenResponse({ description: 'The token has neither the customer nor the operator scope' })
@UseGuards(CallerGuard)
@Controller('api/v1/deliveries')
export class DeliveryStatusController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get(':deliveryId')
  @ApiOperation({ summary: 'Where a delivery is: stage, drone, last known location, ETAs' })
  @ApiOkResponse({ type: DeliveryStatusViewDto })
  @ApiNotFoundResponse({ description: "No such delivery, or another account's" })
  findDeliveryStatus(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<DeliveryStatusView> {
    return this.deliveries.findDeliveryStatus(deliveryId, caller);
  }
}
