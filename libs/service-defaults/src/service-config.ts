import { type LogLevel } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

/**
 * The settings every service reads from its environment (see loadEnvironment). A service's own
 * config class extends it (or ServiceWithTokensConfig) and sets its default PORT:
 *   export class AccountsConfig extends ServiceWithTokensConfig { override PORT = 3002; ... }
 */
export class ServiceConfig {
  /** The HTTP port; each service's class gives its own default. */
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535) PORT!: number;

  /** Its own database: `postgres://user:password@host:port/database`. */
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  DATABASE_URL!: string;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: LogLevel = 'log';
}

/** ...and the shared secret of the service tokens, for services that call or serve others. */
export class ServiceWithTokensConfig extends ServiceConfig {
  /** Shared secret of the service tokens (at least 32 characters). */
  @IsString() @MinLength(32) SERVICE_TOKEN_SECRET!: string;
}
