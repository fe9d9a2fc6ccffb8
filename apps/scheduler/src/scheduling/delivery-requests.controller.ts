import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliveryRequestDto } from './delivery-request.dto';
import { ScheduleDeliveryService } from './schedule-delivery.service';

@ApiTags('deliveries')
@Controller('api/v1/delivery-requests')
export class DeliveryRequestsController {
  constructor(private readonly scheduling: ScheduleDeliveryService) {}

  @Get(':requestId')
  @ApiOperation({ summary: 'Where an asynchronous schedule request (202) stands' })
  @ApiOkResponse({ type: DeliveryRequestDto })
  @ApiNotFoundResponse()
  findRequest(@Param('requestId', ParseUUIDPipe) requestId: string): Promise<DeliveryRequestDto> {
    return this.scheduling.findRequest(requestId);
  }
}
