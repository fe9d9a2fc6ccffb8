import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsRFC3339, ValidateNested } from 'class-validator';
import { IsDeadlineAfter } from '../common/deadline.validator';
import { GeoPointDto } from '@drone-delivery/service-defaults';

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
  @IsRFC3339()
  pickupTime?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'After pickupTime (or now).' })
  @IsOptional()
  @IsRFC3339()
  @IsDeadlineAfter('pickupTime')
  deadline?: string;
}
