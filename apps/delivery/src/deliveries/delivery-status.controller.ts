import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DeliveryStatusView } from '@drone-delivery/contracts';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { DeliveriesService } from './deliveries.service';
import { DeliveryStatusViewDto } from './delivery-view.dto';

/** Public: a customer follows its account's deliveries, an operator any delivery. */
@ApiTags('public')
@PublicApi()
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
