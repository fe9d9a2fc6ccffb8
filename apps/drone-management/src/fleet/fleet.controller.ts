import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DroneView, SCHEDULER_SERVICE } from '@drone-delivery/contracts';
import { InternalApi } from '@drone-delivery/http';
import { DroneViewDto } from './drone-view.dto';
import { FleetService } from './fleet.service';

@ApiTags('internal')
@InternalApi({ callers: [SCHEDULER_SERVICE] })
@Controller('internal/v1/drones')
export class FleetController {
  constructor(private readonly fleet: FleetService) {}

  @Get()
  @ApiOperation({ summary: 'The fleet: every drone, where it is and whether it is free' })
  @ApiOkResponse({ type: [DroneViewDto] })
  listDrones(): Promise<DroneView[]> {
    return this.fleet.listDrones();
  }
}
