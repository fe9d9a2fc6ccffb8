import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliverySearchPageDto } from './delivery-search-page.dto';
import { SearchDeliveriesQueryDto } from './search-deliveries-query.dto';
import { SearchService } from './search.service';

@ApiTags('public')
@Controller('api/v1/delivery-history')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiOperation({ summary: "An account's deliveries created in [from, to), newest first" })
  @ApiOkResponse({ type: DeliverySearchPageDto })
  @ApiBadRequestResponse({ description: 'A missing or malformed filter, or from not before to' })
  searchDeliveries(@Query() query: SearchDeliveriesQueryDto): Promise<DeliverySearchPageDto> {
    return this.search.searchDeliveries(query);
  }
}
