import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
import { DeliverySearchPageDto } from './delivery-search-page.dto';
import { SearchDeliveriesQueryDto } from './search-deliveries-query.dto';
import { SearchService } from './search.service';

/** Public: a customer searches its own account, an operator any account or all of them. */
@ApiTags('public')
@PublicApi()
@Controller('api/v1/delivery-history')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiOperation({ summary: "An account's deliveries created in [from, to), newest first" })
  @ApiOkResponse({ type: DeliverySearchPageDto })
  @ApiBadRequestResponse({ description: 'A malformed filter, or from not before to' })
  @ApiForbiddenResponse({
    description:
      'A customer naming another account, or a token with neither the customer nor the ' +
      'operator scope',
  })
  searchDeliveries(
    @Query() query: SearchDeliveriesQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<DeliverySearchPageDto> {
    return this.search.searchDeliveries(query, caller);
  }
}
