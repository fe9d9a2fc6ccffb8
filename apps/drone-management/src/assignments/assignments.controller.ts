import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Put,
  Res,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { type AssignmentView, SCHEDULER_SERVICE } from '@drone-delivery/contracts';
import { InternalApi } from '@drone-delivery/http';
import { AssignmentViewDto } from './assignment-view.dto';
import { AssignmentsService } from './assignments.service';
import { PatchAssignmentDto } from './patch-assignment.dto';
import { PutAssignmentDto } from './put-assignment.dto';

@ApiTags('internal')
@InternalApi({ callers: [SCHEDULER_SERVICE] })
@Controller('internal/v1/assignments')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Put(':deliveryId')
  @ApiOperation({ summary: 'Assign the nearest idle drone able to fly this delivery (idempotent)' })
  @ApiCreatedResponse({ type: AssignmentViewDto, description: 'A drone was assigned.' })
  @ApiOkResponse({ type: AssignmentViewDto, description: 'The delivery had its drone: a retry.' })
  @ApiConflictResponse({
    description: 'No drone available (Retry-After); released; or another route for this id.',
  })
  @ApiUnprocessableEntityResponse({ description: 'Pickup or dropoff outside the service area.' })
  async assignDrone(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Body() request: PutAssignmentDto,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<AssignmentView> {
    const result = await this.assignments.assignNearestDrone(deliveryId, request);
    response.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return result.assignment;
  }

  @Get(':deliveryId')
  @ApiOperation({ summary: 'A delivery’s drone and planned times' })
  @ApiOkResponse({ type: AssignmentViewDto })
  @ApiNotFoundResponse()
  findAssignment(@Param('deliveryId', ParseUUIDPipe) deliveryId: string): Promise<AssignmentView> {
    return this.assignments.findAssignment(deliveryId);
  }

  @Patch(':deliveryId')
  @ApiOperation({
    summary: 'Re-plan for a new dropoff or pickup time, with the same drone, even in flight',
  })
  @ApiOkResponse({ type: AssignmentViewDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({
    description: 'Released, completed (unloading or unloaded), or not battery for the new route.',
  })
  @ApiUnprocessableEntityResponse({ description: 'Dropoff outside the service area.' })
  replan(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Body() changes: PatchAssignmentDto,
  ): Promise<AssignmentView> {
    return this.assignments.replan(deliveryId, changes);
  }

  @Delete(':deliveryId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Release the drone, which flies home; 204 also when released, completed or unknown',
  })
  @ApiNoContentResponse()
  releaseDrone(@Param('deliveryId', ParseUUIDPipe) deliveryId: string): Promise<void> {
    return this.assignments.release(deliveryId);
  }
}
