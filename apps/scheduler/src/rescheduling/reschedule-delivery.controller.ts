import { Body, Controller, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type DeliveryView } from '@drone-delivery/contracts';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { RescheduleDeliveryDto } from './reschedule-delivery.dto';
import { RescheduleDeliveryService } from './reschedule-delivery.service';

@ApiTags('deliveries')
@PublicApi()
@Controller('api/v1/deliveries')
export class RescheduleDeliveryController {
  constructor(private readonly rescheduling: RescheduleDeliveryService) {}

  @Patch(':deliveryId')
  @ApiOperation({ summary: 'Reschedule: a new dropoff, pickup time or deadline' })
  @ApiOkResponse({ description: 'The updated delivery, stage Rescheduled' })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse({ description: "No such delivery, or another account's" })
  @ApiConflictResponse({
    description: 'The delivery is completed or cancelled, or its drone has picked the package up',
  })
  reschedule(
    @CurrentCaller() caller: Caller,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Body() change: RescheduleDeliveryDto,
  ): Promise<DeliveryView> {
    return this.rescheduling.reschedule(caller, deliveryId, change);
  }
}
