import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type ProblemDetails } from '@drone-delivery/contracts';

export const DELIVERY_REQUEST_STATES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryRequestState = (typeof DELIVERY_REQUEST_STATES)[number];

/** `GET /api/v1/delivery-requests/{requestId}`: where an asynchronous schedule request stands. */
export class DeliveryRequestDto {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ enum: DELIVERY_REQUEST_STATES }) state!: DeliveryRequestState;
  @ApiPropertyOptional({ format: 'uuid', description: 'Once succeeded.' }) deliveryId?: string;
  @ApiPropertyOptional({ description: 'Once failed: the problem document (RFC 9457).' })
  error?: ProblemDetails;
}
