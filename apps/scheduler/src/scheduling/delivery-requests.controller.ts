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
import { type Caller, CallerGuard, CurrentCaller } from '@drone-delivery/http';
import { DeliveryRequestDto } from './delivery-request.dto';
import { ScheduleDeliveryService } from './schedule-delivery.service';

@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(CallerGuard)
@ApiUnauthorizedResponse({
  description: 'No access token, or one that is expired, forged or not for this API',
})
@ApiForbiddenResponse({ description: 'The token has neither the customer nor the operator scope' })
@Controller('api/v1/delivery-requests')
export class DeliveryRequestsController {
  constructor(private readonly scheduling: ScheduleDeliveryService) {}

  @Get(':requestId')
  @ApiOperation({ summary: 'Where an asynchronous schedule request (202) stands' })
  @ApiOkResponse({ type: DeliveryRequestDto })
  @ApiNotFoundResponse({ description: "No such request, or another account's" })
  findRequest(
    @CurrentCaller() caller: Caller,
    @Param('requestId', ParseUUIDPipe) requestId: string,
  ): Promise<DeliveryRequestDto> {
    return this.scheduling.findRequest(caller, requestId);
  }
}
