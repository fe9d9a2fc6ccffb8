import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export const MAX_HISTORY_LIMIT = 500;
/** Postgres' integer, the type of the sequence column: larger is no sequence at all. */
const MAX_SEQUENCE = 2_147_483_647;

/** `GET /api/v1/deliveries/{id}/history?afterSequence=…&limit=…` */
export class DeliveryHistoryQueryDto {
  @ApiPropertyOptional({
    minimum: 0,
    default: 0,
    description: 'Only events with a greater sequence: the last sequence a reader already has',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEQUENCE)
  afterSequence: number = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HISTORY_LIMIT, default: 100 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_LIMIT)
  limit: number = 100;
}
