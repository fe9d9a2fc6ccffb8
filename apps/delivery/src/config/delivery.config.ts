import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { type LogLevel } from '@nestjs/common';
import { loadEnvironment } from '@drone-delivery/service-defaults';

/** Every setting of the delivery service, from the environment, checked at start-up. */
export class DeliveryConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535) PORT: number = 3005;

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  DATABASE_URL!: string;

  /** Shared secret of the service tokens (at least 32 characters). */
  @IsString() @MinLength(32) SERVICE_TOKEN_SECRET!: string;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: LogLevel = 'log';
}

export function loadDeliveryConfig(env: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  return loadEnvironment(DeliveryConfig, env);
}
