import { Body, Controller, Headers, HttpStatus, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { type DeliveryRequestDto } from './delivery-request.dto';
import { parseIdempotencyKey, prefersRespondAsync } from './request-headers';
import { ScheduleDeliveryDto, ScheduledDeliveryDto } from './schedule-delivery.dto';
import { ScheduleDeliveryService } from './schedule-delivery.service';
import { deliveryRequestLocation } from './scheduling-problems';

interface HttpResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

@ApiTags('deliveries')
@Controller('api/v1/deliveries')
export class ScheduleDeliveryController {
  constructor(private readonly scheduling: ScheduleDeliveryService) {}

  @Post()
  @ApiOperation({ summary: 'Schedule a delivery: book a package, a drone and the delivery' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1 to 200 characters' })
  @ApiHeader({ name: 'Prefer', required: false, description: '`respond-async` for a 202 + poll' })
  @ApiCreatedResponse({ type: ScheduledDeliveryDto })
  @ApiAcceptedResponse({ description: 'Location: /api/v1/delivery-requests/{requestId}' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown or suspended account; out of area' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used with another body' })
  @ApiServiceUnavailableResponse({ description: 'No drone free, or a dependency is down' })
  async schedule(
    @Body() body: ScheduleDeliveryDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<ScheduledDeliveryDto | DeliveryRequestDto> {
    const outcome = await this.scheduling.schedule(body, {
      idempotencyKey: parseIdempotencyKey(idempotencyKey),
      respondAsync: prefersRespondAsync(prefer),
    });
    if (outcome.kind === 'accepted') {
      response.status(HttpStatus.ACCEPTED);
      response.setHeader('location', deliveryRequestLocation(outcome.requestId));
      response.setHeader('preference-applied', 'respond-async');
      return { requestId: outcome.requestId, state: 'pending' };
    }
    response.status(HttpStatus.CREATED);
    response.setHeader('location', `/api/v1/deliveries/${outcome.delivery.deliveryId}`);
    return outcome.delivery;
  }
}
