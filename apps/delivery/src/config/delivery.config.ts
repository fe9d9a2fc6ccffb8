import { Transform, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { type LogLevel } from '@nestjs/common';
import { loadEnvironment } from '@drone-delivery/service-defaults';

/** `host:port[,host:port]` from the environment, as a list. */
function brokerList({ value }: { value: unknown }): unknown {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker.length > 0)
    : value;
}

/** Every setting of the delivery service, from the environment, checked at start-up. */
export class DeliveryConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535) PORT: number = 3005;

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  DATABASE_URL!: string;

  /** Shared secret of the service tokens (at least 32 characters). */
  @IsString() @MinLength(32) SERVICE_TOKEN_SECRET!: string;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: LogLevel = 'log';

  /** Kafka bootstrap servers, `host:port[,host:port]`. */
  @Transform(brokerList)
  @IsArray()
  @ArrayNotEmpty()
  @Matches(/^[^:\s]+:\d{1,5}$/, { each: true, message: 'each broker must be host:port' })
  KAFKA_BROKERS!: string[];

  /** Consumer group of the telemetry consumer; replicas share it, tests give each run its own. */
  @IsString() @Matches(/^[\w.-]+$/) KAFKA_GROUP_ID: string = 'delivery';

  /** How long the outbox relay waits between polls of an empty outbox. */
  @Type(() => Number) @IsInt() @Min(10) @Max(60_000) OUTBOX_POLL_MS: number = 200;
}

export function loadDeliveryConfig(env: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  return loadEnvironment(DeliveryConfig, env);
}
