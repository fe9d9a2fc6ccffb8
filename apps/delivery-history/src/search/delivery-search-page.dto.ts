import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STAGES, type DeliveryStage } from '@drone-delivery/contracts';

export class DeliverySummaryDto {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ enum: DELIVERY_STAGES, description: 'Stage after the latest event received' })
  stage!: DeliveryStage;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the latest event happened' })
  updatedAt!: string;
}

/** One page of an account's deliveries, newest first. */
export class DeliverySearchPageDto {
  @ApiProperty({ type: DeliverySummaryDto, isArray: true }) items!: DeliverySummaryDto[];
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor` (with the same filters) for the next page; null on the last',
  })
  nextCursor!: string | null;
}
