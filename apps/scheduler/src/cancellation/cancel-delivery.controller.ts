import { Controller, Delete, Param, ParseUUIDPipe } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type DeliveryView } from '@drone-delivery/contracts';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { CancelDeliveryService } from './cancel-delivery.service';

@ApiTags('deliveries')
@PublicApi()
@Controller('api/v1/deliveries')
export class CancelDeliveryController {
  constructor(private readonly cancellation: CancelDeliveryService) {}

  @Delete(':deliveryId')
  @ApiOperation({ summary: 'Cancel a delivery and free its drone' })
  @ApiOkResponse({ description: 'The cancelled delivery' })
  @ApiNotFoundResponse({ description: "No such delivery, or another account's" })
  @ApiConflictResponse({ description: 'The delivery is already completed' })
  cancel(
    @CurrentCaller() caller: Caller,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<DeliveryView> {
    return this.cancellation.cancel(caller, deliveryId);
  }
}
