import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';
import { type GeoPoint } from '@drone-delivery/contracts';

const FINITE = { allowNaN: false, allowInfinity: false };

/** A position in a request or response body: validated, documented, shared by every API. */
export class GeoPointDto implements GeoPoint {
  @ApiProperty({ example: 47.6101, minimum: -90, maximum: 90 })
  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ example: -122.3421, minimum: -180, maximum: 180 })
  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  lng!: number;
}
