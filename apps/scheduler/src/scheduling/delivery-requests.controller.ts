import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { DeliveryRequestDto } from './delivery-request.dto';
import { ScheduleDeliveryService } from './schedule-delivery.service';

@ApiTags('deliveries')
@PublicApi()
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
