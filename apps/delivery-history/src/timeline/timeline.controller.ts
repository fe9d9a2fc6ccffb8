import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { DeliveryHistoryEntryDto } from './delivery-history-entry.dto';
import { DeliveryHistoryQueryDto } from './delivery-history-query.dto';
import { TimelineService } from './timeline.service';

/** Public: a customer reads its account's delivery histories, an operator any. */
@ApiTags('public')
@PublicApi()
@Controller('api/v1/deliveries')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get(':deliveryId/history')
  @ApiOperation({
    summary: "A delivery's events, in the order they happened, a page at a time",
    description:
      'At most `limit` events after `afterSequence`. When more follow, a `Link` header with ' +
      '`rel="next"` names the next page; the body stays a plain array either way.',
  })
  @ApiOkResponse({
    type: DeliveryHistoryEntryDto,
    isArray: true,
    headers: { Link: { description: 'rel="next": the next page, when there is one' } },
  })
  @ApiHeader({ name: 'Link', required: false, description: 'Response only' })
  @ApiBadRequestResponse({ description: 'afterSequence or limit out of range, or not a UUID' })
  @ApiNotFoundResponse({
    description:
      "No event of this delivery has been received, or it is another account's (for a " +
      'customer, also while its DeliveryCreated has not been received)',
  })
  async findDeliveryHistory(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Query() query: DeliveryHistoryQueryDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): unknown },
  ): Promise<DeliveryHistoryEntryDto[]> {
    const { entries, more } = await this.timeline.findHistory(deliveryId, caller, query);
    const last = entries.at(-1);
    if (more && last) {
      response.setHeader(
        'link',
        `</api/v1/deliveries/${deliveryId}/history?afterSequence=${last.sequence}` +
          `&limit=${query.limit}>; rel="next"`,
      );
    }
    return entries;
  }
}
