import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsUUID, ValidateIf, ValidateNested } from 'class-validator';
import {
  CONFIRMATION_TYPES,
  type ConfirmationType,
  type PutDeliveryRequest,
} from '@drone-delivery/contracts';
import { GeoPointDto, IsInstant } from '@drone-delivery/service-defaults';

/** `PUT /internal/v1/deliveries/{deliveryId}`: the whole delivery, as the scheduler planned it. */
export class PutDeliveryDto implements PutDeliveryRequest {
  @ApiProperty({ format: 'uuid', example: '11111111-1111-4111-8111-111111111111' })
  @IsUUID()
  accountId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  packageId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  droneId!: string;

  @ApiProperty({ type: GeoPointDto })
  @IsObject()
  @ValidateNested()
  @Type(() => GeoPointDto)
  pickup!: GeoPointDto;

  @ApiProperty({ type: GeoPointDto })
  @IsObject()
  @ValidateNested()
  @Type(() => GeoPointDto)
  dropoff!: GeoPointDto;

  @ApiPropertyOptional({ format: 'date-time' })
  // Absent means "as soon as possible"; null is not a time, so it is rejected rather than skipped.
  @ValidateIf((_, value) => value !== undefined)
  @IsInstant()
  pickupTime?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'After pickupTime when both are given.',
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsInstant()
  deadline?: string;

  @ApiProperty({ example: false })
  @IsBoolean()
  expedited!: boolean;

  @ApiProperty({ enum: CONFIRMATION_TYPES, example: 'none' })
  @IsIn(CONFIRMATION_TYPES)
  confirmationRequired!: ConfirmationType;

  @ApiProperty({ format: 'date-time' })
  @IsInstant()
  pickupEta!: string;

  @ApiProperty({ format: 'date-time' })
  @IsInstant()
  dropoffEta!: string;
}
