import { Controller, Delete, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type DeliveryView } from '@drone-delivery/contracts';
import { type Caller, CallerGuard, CurrentCaller } from '@drone-delivery/http';
import { CancelDeliveryService } from './cancel-delivery.service';

@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(CallerGuard)
@ApiUnauthorizedResponse({
  description: 'No access token, or one that is expired, forged or not for this API',
})
@ApiForbiddenResponse({ description: 'The token has neither the customer nor the operator scope' })
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
