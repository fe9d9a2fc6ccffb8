import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import {
  PACKAGE_SIZES,
  PACKAGE_TAG_MAX_LENGTH,
  type PackageSize,
  type PutPackageRequest,
} from '@drone-delivery/contracts';
import { FitsPackageSize } from './package-weight.validator';

/** `PUT /internal/v1/packages/{packageId}`: the whole package, as the scheduler wants it. */
export class PutPackageDto implements PutPackageRequest {
  @ApiProperty({ format: 'uuid', example: '11111111-1111-4111-8111-111111111111' })
  @IsUUID()
  accountId!: string;

  @ApiProperty({ enum: PACKAGE_SIZES, example: 'small' })
  @IsIn(PACKAGE_SIZES)
  size!: PackageSize;

  @ApiProperty({ example: 1.2, description: 'At most 2 (small), 5 (medium) or 10 (large) kg.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @FitsPackageSize('size')
  weightKg!: number;

  @ApiPropertyOptional({ example: 'prescription-4711', maxLength: PACKAGE_TAG_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(PACKAGE_TAG_MAX_LENGTH)
  tag?: string;
}
