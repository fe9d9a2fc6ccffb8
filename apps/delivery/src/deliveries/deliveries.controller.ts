import {
  Body,
  Controller,
  Delete,
  Get,
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
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import {
  DELIVERY_QUOTA_EXCEEDED_PROBLEM,
  type DeliveryView,
  SCHEDULER_SERVICE,
} from '@drone-delivery/contracts';
import { InternalApi } from '@drone-delivery/http';
import { DeliveriesService } from './deliveries.service';
import { DELIVERY_GONE_PROBLEM } from './delivery-problems';
import { DeliveryViewDto } from './delivery-view.dto';
import { PatchDeliveryDto } from './patch-delivery.dto';
import { PutDeliveryDto } from './put-delivery.dto';

interface HttpResponse {
  status(code: number): unknown;
}

@ApiTags('internal')
@InternalApi({ callers: [SCHEDULER_SERVICE] })
@Controller('internal/v1/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Put(':deliveryId')
  @ApiOperation({ summary: 'Create a delivery and its DeliveryCreated event (idempotent)' })
  @ApiCreatedResponse({ type: DeliveryViewDto, description: 'Created' })
  @ApiOkResponse({ type: DeliveryViewDto, description: 'The same delivery already existed' })
  @ApiConflictResponse({ description: 'The id exists with other contents' })
  @ApiGoneResponse({
    description: `The id was cancelled before it was created: problem type ${DELIVERY_GONE_PROBLEM}`,
  })
  @ApiTooManyRequestsResponse({
    description:
      'A new delivery while its account has DELIVERY_QUOTA_IN_FLIGHT deliveries in flight: ' +
      `problem type ${DELIVERY_QUOTA_EXCEEDED_PROBLEM}, with Retry-After`,
  })
  async createDelivery(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Body() body: PutDeliveryDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<DeliveryView> {
    const { created, delivery } = await this.deliveries.createDelivery(deliveryId, body);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return delivery;
  }

  @Get(':deliveryId')
  @ApiOperation({ summary: 'Read a delivery' })
  @ApiOkResponse({ type: DeliveryViewDto })
  @ApiNotFoundResponse()
  findDelivery(@Param('deliveryId', ParseUUIDPipe) deliveryId: string): Promise<DeliveryView> {
    return this.deliveries.findDelivery(deliveryId);
  }

  @Patch(':deliveryId')
  @ApiOperation({ summary: 'Reschedule: stage Rescheduled, DeliveryRescheduled event' })
  @ApiOkResponse({ type: DeliveryViewDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({
    description:
      'The delivery is Completed or Cancelled, or InTransit and the change is not a new dropoff ' +
      'or pickup time (which drone-management accepted before pickup)',
  })
  rescheduleDelivery(
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Body() body: PatchDeliveryDto,
  ): Promise<DeliveryView> {
    return this.deliveries.rescheduleDelivery(deliveryId, body);
  }

  @Delete(':deliveryId')
  @ApiOperation({ summary: 'Cancel: stage Cancelled, DeliveryCancelled event (idempotent)' })
  @ApiOkResponse({ type: DeliveryViewDto })
  @ApiNotFoundResponse({
    description: 'No such delivery; a tombstone is kept, so a later PUT of the id is 410',
  })
  @ApiConflictResponse({ description: 'The delivery is Completed' })
  cancelDelivery(@Param('deliveryId', ParseUUIDPipe) deliveryId: string): Promise<DeliveryView> {
    return this.deliveries.cancelDelivery(deliveryId);
  }
}
