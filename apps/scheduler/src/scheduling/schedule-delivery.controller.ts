import { Body, Controller, Headers, HttpStatus, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { type Caller, CurrentCaller, PublicApi } from '@drone-delivery/http';
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
@PublicApi()
@Controller('api/v1/deliveries')
export class ScheduleDeliveryController {
  constructor(private readonly scheduling: ScheduleDeliveryService) {}

  @Post()
  @ApiOperation({ summary: 'Schedule a delivery: book a package, a drone and the delivery' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1 to 200 characters' })
  @ApiHeader({ name: 'Prefer', required: false, description: '`respond-async` for a 202 + poll' })
  @ApiCreatedResponse({ type: ScheduledDeliveryDto })
  @ApiAcceptedResponse({ description: 'Location: /api/v1/delivery-requests/{requestId}' })
  @ApiBadRequestResponse({ description: 'Field errors; an operator must give accountId' })
  @ApiForbiddenResponse({
    description: "A customer's body names another account, or the token lacks a scope",
  })
  @ApiUnprocessableEntityResponse({ description: 'Unknown or suspended account; out of area' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used with another body' })
  @ApiTooManyRequestsResponse({
    description: 'The account has too many deliveries in flight (Retry-After)',
  })
  @ApiServiceUnavailableResponse({ description: 'No drone free, or a dependency is down' })
  async schedule(
    @CurrentCaller() caller: Caller,
    @Body() body: ScheduleDeliveryDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<ScheduledDeliveryDto | DeliveryRequestDto> {
    const outcome = await this.scheduling.schedule(caller, body, {
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
