import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DeliveryStatusView } from '@drone-delivery/contracts';
import { DeliveriesService } from './deliveries.service';
import { DeliveryStatusViewDto } from './delivery-view.dto';

/** Public: anyone holding a delivery id may follow it (api-gateway authenticates later). */
@ApiTags('public')
@Controller('api/v1/deliveries')
export class DeliveryStatusController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get(':deliveryId')
  @ApiOperation({ summary: 'Where a delivery is: stage, drone, last known location, ETAs' })
  @ApiOkResponse({ type: DeliveryStatusViewDto })
  @ApiNotFoundResponse()
  findDeliveryStatus(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<DeliveryStatusView> {
    return this.deliveries.findDeliveryStatus(deliveryId);
  }
}
