import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { type PatchDeliveryRequest } from '@drone-delivery/contracts';
import { GeoPointDto, IsInstant } from '@drone-delivery/service-defaults';

// Absent means "keep"; null would mean "clear", which no field here supports, so it is rejected.
const GIVEN = (_: object, value: unknown) => value !== undefined;

/**
 * `PATCH /internal/v1/deliveries/{deliveryId}`: only the fields given change; at least one must
 * be given (the service says so when none is).
 */
export class PatchDeliveryDto implements PatchDeliveryRequest {
  @ApiPropertyOptional({ type: GeoPointDto })
  @ValidateIf(GIVEN)
  @IsObject()
  @ValidateNested()
  @Type(() => GeoPointDto)
  dropoff?: GeoPointDto;

  @ApiPropertyOptional({ format: 'date-time' })
  @ValidateIf(GIVEN)
  @IsInstant()
  deadline?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @ValidateIf(GIVEN)
  @IsInstant()
  pickupTime?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @ValidateIf(GIVEN)
  @IsInstant()
  pickupEta?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @ValidateIf(GIVEN)
  @IsInstant()
  dropoffEta?: string;
}
