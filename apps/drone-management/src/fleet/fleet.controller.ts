import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DroneView } from '@drone-delivery/contracts';
import { ServiceTokenGuard } from '@drone-delivery/http';
import { DroneViewDto } from './drone-view.dto';
import { FleetService } from './fleet.service';

@ApiTags('internal')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
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
