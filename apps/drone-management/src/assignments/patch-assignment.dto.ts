import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { type PatchAssignmentRequest } from '@drone-delivery/contracts';
import { GeoPointDto, IsInstant } from '@drone-delivery/service-defaults';

/** `PATCH /internal/v1/assignments/{deliveryId}`: re-plan with the same drone. */
export class PatchAssignmentDto implements PatchAssignmentRequest {
  @ApiPropertyOptional({ type: GeoPointDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GeoPointDto)
  dropoff?: GeoPointDto;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  pickupTime?: string;
}
