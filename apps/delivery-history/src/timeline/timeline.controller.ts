import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { DeliveryHistoryEntryDto } from './delivery-history-entry.dto';
import { TimelineService } from './timeline.service';

/** Public: a customer reads its account's delivery histories, an operator any. */
@ApiTags('public')
@PublicApi()
@Controller('api/v1/deliveries')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get(':deliveryId/history')
  @ApiOperation({ summary: "A delivery's events, in the order they happened" })
  @ApiOkResponse({ type: DeliveryHistoryEntryDto, isArray: true })
  @ApiNotFoundResponse({
    description:
      "No event of this delivery has been received, or it is another account's (for a " +
      'customer, also while its DeliveryCreated has not been received)',
  })
  findDeliveryHistory(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<DeliveryHistoryEntryDto[]> {
    return this.timeline.findHistory(deliveryId, caller);
  }
}
