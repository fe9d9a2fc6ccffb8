import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONFIRMATION_TYPES,
  type ConfirmationType,
  DELIVERY_STAGES,
  type DeliveryStage,
  type DeliveryStatusView,
  type DeliveryView,
} from '@drone-delivery/contracts';
import { GeoPointDto } from '@drone-delivery/service-defaults';

/** The public status of a delivery, as OpenAPI shows it. */
export class DeliveryStatusViewDto implements DeliveryStatusView {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ enum: DELIVERY_STAGES }) stage!: DeliveryStage;
  @ApiProperty({ format: 'uuid' }) droneId!: string;
  @ApiProperty({ type: GeoPointDto, nullable: true }) lastKnownLocation!: GeoPointDto | null;
  @ApiProperty({ format: 'date-time' }) pickupEta!: string;
  @ApiProperty({ format: 'date-time' }) dropoffEta!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** The whole delivery (internal API), as OpenAPI shows it. */
export class DeliveryViewDto implements DeliveryView {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ format: 'uuid' }) packageId!: string;
  @ApiProperty({ format: 'uuid' }) droneId!: string;
  @ApiProperty({ type: GeoPointDto }) pickup!: GeoPointDto;
  @ApiProperty({ type: GeoPointDto }) dropoff!: GeoPointDto;
  @ApiPropertyOptional({ format: 'date-time' }) pickupTime?: string;
  @ApiPropertyOptional({ format: 'date-time' }) deadline?: string;
  @ApiProperty() expedited!: boolean;
  @ApiProperty({ enum: CONFIRMATION_TYPES }) confirmationRequired!: ConfirmationType;
  @ApiProperty({ format: 'date-time' }) pickupEta!: string;
  @ApiProperty({ format: 'date-time' }) dropoffEta!: string;
  @ApiProperty({ enum: DELIVERY_STAGES }) stage!: DeliveryStage;
  @ApiProperty({ type: GeoPointDto, nullable: true }) lastKnownLocation!: GeoPointDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
