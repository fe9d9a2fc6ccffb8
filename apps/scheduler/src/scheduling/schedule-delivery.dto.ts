import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import {
  CONFIRMATION_TYPES,
  type ConfirmationType,
  PACKAGE_SIZES,
  type PackageSize,
  PACKAGE_TAG_MAX_LENGTH,
} from '@drone-delivery/contracts';
import { IsDeadlineAfter } from '../common/deadline.validator';
import { FitsPackageSize } from './package-weight.validator';
import { GeoPointDto, IsInstant } from '@drone-delivery/service-defaults';

export class PackageDto {
  @ApiProperty({ enum: PACKAGE_SIZES, example: 'small' })
  @IsIn(PACKAGE_SIZES)
  size!: PackageSize;

  @ApiProperty({ example: 1.2, description: 'At most 2 (small), 5 (medium) or 10 (large) kg.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @FitsPackageSize('size')
  weightKg!: number;

  // The package service stores at most 64 characters: checked here so a long tag is a 400 up
  // front, not a failed saga step.
  @ApiPropertyOptional({ example: 'prescription-4711', maxLength: PACKAGE_TAG_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, PACKAGE_TAG_MAX_LENGTH)
  tag?: string;
}

/** `POST /api/v1/deliveries`. */
export class ScheduleDeliveryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    example: '11111111-1111-4111-8111-111111111111',
    description:
      "The token's account for a customer (who may leave it out, and may not name another); " +
      'required for an operator, who may name any.',
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;

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

  @ApiPropertyOptional({ format: 'date-time', description: 'Earliest pickup; default now.' })
  @IsOptional()
  // Not IsRFC3339: it takes 23:59:60 and 2026-02-30, which Date cannot hold or shifts.
  @IsInstant()
  pickupTime?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'After pickupTime (or now).' })
  @IsOptional()
  @IsInstant()
  @IsDeadlineAfter('pickupTime')
  deadline?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  expedited?: boolean;

  @ApiPropertyOptional({ enum: CONFIRMATION_TYPES, default: 'none' })
  @IsOptional()
  @IsIn(CONFIRMATION_TYPES)
  confirmationRequired?: ConfirmationType;

  @ApiProperty({ type: PackageDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PackageDto)
  package!: PackageDto;
}

/** 201: the delivery is scheduled. */
export class ScheduledDeliveryDto {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) packageId!: string;
  @ApiProperty({ format: 'uuid' }) droneId!: string;
  @ApiProperty({ enum: ['Created'] }) stage!: 'Created';
  @ApiProperty({ format: 'date-time' }) pickupEta!: string;
  @ApiProperty({ format: 'date-time' }) dropoffEta!: string;
}
