import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ServiceAreaView } from '@drone-delivery/contracts';
import { PublicApi } from '@drone-delivery/http';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';
import { homeBaseLocations } from '../fleet/fleet-layout';
import { ServiceAreaViewDto } from './service-area-view.dto';

/**
 * Public, for any signed-in caller: the map a client draws (the dashboard) and the area its
 * pickups and dropoffs must lie in. From the configuration, with the home bases placed the way
 * the fleet was seeded from it (homeBaseLocations), so no database read is needed.
 */
@ApiTags('public')
@PublicApi()
@Controller('api/v1/service-area')
export class ServiceAreaController {
  private readonly view: ServiceAreaView;

  constructor(@Inject(DRONE_MANAGEMENT_CONFIG) config: DroneManagementConfig) {
    const area = config.serviceArea;
    this.view = { ...area, homeBases: homeBaseLocations(area, config.HOME_BASES) };
  }

  @Get()
  @ApiOperation({ summary: 'The area the fleet serves: its centre, radius and home bases' })
  @ApiOkResponse({ type: ServiceAreaViewDto })
  serviceArea(): ServiceAreaView {
    return this.view;
  }
}
