import { type LogLevel } from '@nestjs/common';
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

/**
 * ...and how to check the access tokens of public routes (CallerGuard): the identity provider's
 * issuer name, where its keys are, and the audience the tokens must be for.
 */
export class PublicApiConfig extends ServiceWithTokensConfig {
  /** The `iss` every access token must carry, e.g. `http://localhost:8080/identity`. */
  @IsUrl({ require_tld: false, require_protocol: true }) AUTH_ISSUER!: string;

  /** The issuer's JWKS, as this service reaches it, e.g. `http://identity:3008/identity/jwks`. */
  @IsUrl({ require_tld: false, require_protocol: true }) AUTH_JWKS_URL!: string;

  /** The `aud` the tokens must name: the public API behind the gateway. */
  @IsString() @MinLength(1) AUTH_AUDIENCE: string = 'api-gateway';
}

/**
 * A Kafka bootstrap list from the environment, `host:port[,host:port]`, read as a string[] and
 * checked entry by entry:
 *   @KafkaBrokerList() KAFKA_BROKERS!: string[];
 */
export function KafkaBrokerList(): PropertyDecorator {
  const decorators: PropertyDecorator[] = [
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((broker) => broker.trim())
            .filter((broker) => broker.length > 0)
        : value,
    ),
    IsArray(),
    ArrayNotEmpty(),
    Matches(/^[^:\s]+:\d{1,5}$/, { each: true, message: 'each broker must be host:port' }),
  ];
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}
