import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsObject, IsOptional, IsPositive, ValidateNested } from 'class-validator';
import { type PutAssignmentRequest } from '@drone-delivery/contracts';
import { GeoPointDto, IsInstant } from '@drone-delivery/service-defaults';

/** `PUT /internal/v1/assignments/{deliveryId}`. */
export class PutAssignmentDto implements PutAssignmentRequest {
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

  @ApiProperty({ example: 1.2, description: 'Only drones with at least this payload qualify.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  packageWeightKg!: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'The drone is planned at the pickup no earlier. Default: as soon as it can.',
  })
  @IsOptional()
  @IsInstant()
  pickupTime?: string;
}
