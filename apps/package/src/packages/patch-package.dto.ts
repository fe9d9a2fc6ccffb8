import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsPositive, IsString, MaxLength, ValidateIf } from 'class-validator';
import {
  PACKAGE_SIZES,
  type PackageSize,
  type PatchPackageRequest,
} from '@drone-delivery/contracts';

/**
 * `PATCH /internal/v1/packages/{packageId}`: only the fields given change. The weight limit is
 * checked by the service against the resulting size, which may be the stored one.
 */
export class PatchPackageDto implements PatchPackageRequest {
  @ApiPropertyOptional({ enum: PACKAGE_SIZES })
  // Absent means "keep"; null is not a size, so it is rejected rather than skipped.
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(PACKAGE_SIZES)
  size?: PackageSize;

  @ApiPropertyOptional({ example: 1.2, description: 'At most the limit of the resulting size.' })
  @ValidateIf((_, value) => value !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  weightKg?: number;

  @ApiPropertyOptional({ maxLength: 64 })
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @MaxLength(64)
  tag?: string;
}
