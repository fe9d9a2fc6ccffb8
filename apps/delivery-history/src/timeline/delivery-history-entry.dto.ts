import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_EVENT_TYPES, type DeliveryEventName } from '@drone-delivery/contracts';

/** One event of a delivery's history, as `GET /api/v1/deliveries/{id}/history` lists it. */
export class DeliveryHistoryEntryDto {
  @ApiProperty({ description: 'The CloudEvents id of the event' }) eventId!: string;
  @ApiProperty({ enum: Object.keys(DELIVERY_EVENT_TYPES) }) type!: DeliveryEventName;
  @ApiProperty({ minimum: 1, description: '1, 2, 3… per delivery; the list is in this order' })
  sequence!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's data, as published on delivery.events.v1",
  })
  data!: Record<string, unknown>;
}
