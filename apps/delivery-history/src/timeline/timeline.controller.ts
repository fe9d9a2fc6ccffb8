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
import { DeliveryHistoryEntryDto } from './delivery-history-entry.dto';
import { TimelineService } from './timeline.service';

/** Public: a customer reads its account's delivery histories, an operator any. */
@ApiTags('public')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No access token, or one that is not valid' })
@ApiForbiddenResponse({ description: 'The token has neither the customer nor the operator scope' })
@UseGuards(CallerGuard)
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
