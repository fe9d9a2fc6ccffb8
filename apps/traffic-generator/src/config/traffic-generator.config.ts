// The @Type decorators need the Reflect metadata API (Nest services get it from @nestjs/core).
import 'reflect-metadata';
import { type LogLevel } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export const TRAFFIC_GENERATOR_SERVICE = 'traffic-generator';

const SERVICE_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

/** Every setting of the traffic generator, from the environment, checked at start-up. */
export class TrafficGeneratorConfig {
  /** Where /health/live and /health/ready answer (the image's HEALTHCHECK asks there). */
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535) PORT: number = 3007;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: LogLevel = 'log';

  /** The api-gateway, the one public entry it drives as a client would, e.g. `http://api-gateway:8080`. */
  @IsUrl(SERVICE_URL) GATEWAY_URL!: string;

  /** The OAuth client it acts as (client credentials): in the demo, Contoso Pharmacy's. */
  @IsString() @MinLength(1) API_CLIENT_ID!: string;
  @IsString() @MinLength(1) API_CLIENT_SECRET!: string;

  /** Where it asks for tokens; by default the gateway's `/identity/token`. */
  @IsOptional() @IsUrl(SERVICE_URL) API_TOKEN_URL?: string;

  /** A new delivery this often (while fewer than TRAFFIC_MAX_IN_FLIGHT are under way). */
  @Type(() => Number) @IsInt() @Min(100) TRAFFIC_INTERVAL_MS: number = 5_000;
  /**
   * Deliveries being scheduled or followed at once; a tick finding this many skips its turn, so
   * a slow or saturated system is not buried under ever more retrying requests.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000) TRAFFIC_MAX_IN_FLIGHT: number = 5;
  /** Not Completed this long after its first schedule attempt: logged as timed out. */
  @Type(() => Number) @IsInt() @Min(1_000) TRAFFIC_DELIVERY_TIMEOUT_MS: number = 300_000;
  /** Pause between two reads of a delivery's history. */
  @Type(() => Number) @IsInt() @Min(50) TRAFFIC_POLL_INTERVAL_MS: number = 1_000;
  /** A summary line (counts, time to Completed) this often. */
  @Type(() => Number) @IsInt() @Min(1_000) TRAFFIC_STATS_INTERVAL_MS: number = 60_000;
}

/**
 * The services' `loadEnvironment` (libs/service-defaults), same checks and same message, minus
 * the import: service-defaults brings Nest's HTTP platform, Swagger and tracing along, 80 MB of
 * memory this process, which serves no API, has no use for.
 */
export function loadTrafficGeneratorConfig(
  env: NodeJS.ProcessEnv = process.env,
): TrafficGeneratorConfig {
  const config = plainToInstance(TrafficGeneratorConfig, env, { enableImplicitConversion: true });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (error) => `  - ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  return config;
}
