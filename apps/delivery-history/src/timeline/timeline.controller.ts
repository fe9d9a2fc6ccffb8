import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliveryHistoryEntryDto } from './delivery-history-entry.dto';
import { TimelineService } from './timeline.service';

/** Public: anyone holding a delivery id may read its history (api-gateway authenticates later). */
@ApiTags('public')
@Controller('api/v1/deliveries')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get(':deliveryId/history')
  @ApiOperation({ summary: "A delivery's events, in the order they happened" })
  @ApiOkResponse({ type: DeliveryHistoryEntryDto, isArray: true })
  @ApiNotFoundResponse({ description: 'No event of this delivery has been received' })
  findDeliveryHistory(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<DeliveryHistoryEntryDto[]> {
    return this.timeline.findHistory(deliveryId);
  }
}
