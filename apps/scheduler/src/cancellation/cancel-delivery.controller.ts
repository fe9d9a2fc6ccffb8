import { Controller, Delete, Param, ParseUUIDPipe } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type DeliveryView } from '@drone-delivery/contracts';
import { CancelDeliveryService } from './cancel-delivery.service';

@ApiTags('deliveries')
@Controller('api/v1/deliveries')
export class CancelDeliveryController {
  constructor(private readonly cancellation: CancelDeliveryService) {}

  @Delete(':deliveryId')
  @ApiOperation({ summary: 'Cancel a delivery and free its drone' })
  @ApiOkResponse({ description: 'The cancelled delivery' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The delivery is already completed' })
  cancel(@Param('deliveryId', ParseUUIDPipe) deliveryId: string): Promise<DeliveryView> {
    return this.cancellation.cancel(deliveryId);
  }
}
