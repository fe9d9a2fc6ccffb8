import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsDeadlineAfter } from '../common/deadline.validator';
import { GeoPointDto, IsInstant } from '@drone-delivery/service-defaults';

/** `PATCH /api/v1/deliveries/{deliveryId}`: at least one of the three. */
export class RescheduleDeliveryDto {
  @ApiPropertyOptional({ type: GeoPointDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GeoPointDto)
  dropoff?: GeoPointDto;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  // Not IsRFC3339: it takes 23:59:60 and 2026-02-30, which Date cannot hold or shifts.
  @IsInstant()
  pickupTime?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'After pickupTime (or now).' })
  @IsOptional()
  @IsInstant()
  @IsDeadlineAfter('pickupTime')
  deadline?: string;
}
