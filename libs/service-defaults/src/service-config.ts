import { type LogLevel } from '@nestjs/common';
import { type JSONWebKeySet, type JWK } from 'jose';
import { accessSync, constants } from 'node:fs';
import { Transform, Type } from 'class-transformer';
import { postgresTlsProblem } from '@drone-delivery/persistence';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';

/**
 * The settings every service reads from its environment (see loadEnvironment). A service's own
 * config class extends it (or ServiceWithTokensConfig) and sets its default PORT:
 *   export class AccountsConfig extends ServiceWithTokensConfig { override PORT = 3002; ... }
 */
export class ServiceConfig {
  /** The HTTP port; each service's class gives its own default. */
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535) PORT!: number;

  /**
   * Its own database: `postgres://user:password@host:port/database`; add `?sslmode=verify-full`
   * for TLS that checks the server's certificate and host name (docs/tls.md).
   */
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  @PostgresTlsSettings()
  @NoPublishedPassword()
  DATABASE_URL!: string;

  /** PEM file of a private CA that signed the database server's certificate (verify-full). */
  @IsOptional() @ReadableFile() @ForVerifyFull() DATABASE_CA_FILE?: string;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: LogLevel = 'log';

  /**
   * The demo's published secrets are accepted: the demo service keys of docker-compose.yml and
   * database roles whose password is their own name (docker/postgres/init). Never in production.
   */
  @BooleanSetting() @IsBoolean() DEMO_MODE: boolean = false;

  // Messaging: read by the services that create Kafka topics, or have an outbox or an inbox.

  /** TLS to the brokers (their SSL listener), checking the certificate chain and host name. */
  @BooleanSetting() @IsBoolean() KAFKA_SSL: boolean = false;

  /** PEM file of a private CA that signed the brokers' certificates; default: Node's CAs. */
  @IsOptional() @ReadableFile() @Needs('KAFKA_SSL') KAFKA_CA_FILE?: string;

  /** PEM client certificate and its key, for brokers that ask for one (mutual TLS). */
  @IsOptional() @ReadableFile() @Needs('KAFKA_SSL', 'KAFKA_KEY_FILE') KAFKA_CERT_FILE?: string;
  @IsOptional() @ReadableFile() @Needs('KAFKA_SSL', 'KAFKA_CERT_FILE') KAFKA_KEY_FILE?: string;

  /**
   * Copies of each partition of the topics a service creates: 1 on the demo's one broker, at
   * least 3 in production.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(16) KAFKA_REPLICATION_FACTOR: number = 1;

  /**
   * Replicas that must have a message before an `acks: all` send succeeds, set on the topics a
   * service creates: 1 on the demo's one broker, 2 in production (with a replication factor of
   * 3), so an acknowledged message survives the loss of a broker. At most the replication factor.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(16) KAFKA_MIN_INSYNC_REPLICAS: number = 1;

  /** Hours a published outbox row is kept (to look back at what was sent) before it is deleted. */
  @Type(() => Number) @IsInt() @Min(1) @Max(87_600) OUTBOX_RETENTION_HOURS: number = 24;

  /**
   * Hours an inbox entry (an event id already handled) is kept. It must exceed the Kafka
   * retention of the topics consumed (7 days by default) plus the time a dead letter may wait for
   * its redrive: a duplicate arriving after its entry was deleted is handled again.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(87_600) INBOX_RETENTION_HOURS: number = 14 * 24;
}

/**
 * ...and the service-token keys, for services that call or serve internal routes. Which of the
 * two a service needs depends on its role (serviceTokensProvider checks at start-up): a caller
 * signs, a callee verifies.
 */
export class ServiceWithTokensConfig extends ServiceConfig {
  /** This service's own private key, an Ed25519 JWK (JSON) with kid `<service>:<version>`. */
  @IsOptional() @JsonSetting() @IsObject() SERVICE_TOKEN_SIGNING_KEY?: JWK;

  /** The public keys of the services that may call this one, a JWKS (JSON). */
  @IsOptional() @JsonSetting() @IsObject() SERVICE_TOKEN_TRUSTED_KEYS?: JSONWebKeySet;
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

/**
 * A JSON value from the environment (a JWK, a JWKS). Text that is not JSON is left as it is,
 * so the validator after it reports it instead of a SyntaxError at start-up.
 */
export function JsonSetting(): PropertyDecorator {
  // The raw variable, not `value`: implicit conversion has already run on that.
  return Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const value = obj[key];
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  });
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`) from the environment; anything else fails IsBoolean. */
export function BooleanSetting(): PropertyDecorator {
  // The raw variable: implicit conversion has already made every non-empty string `true`.
  return Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const value = obj[key];
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no', ''].includes(text)) return false;
    return value;
  });
}

/** A path to a file this process can read; checked at start-up rather than at first use. */
export function ReadableFile(): PropertyDecorator {
  return ValidateBy({
    name: 'readableFile',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || value.length === 0) return false;
        try {
          accessSync(value, constants.R_OK);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property} must name a readable file (got "${String(args?.value)}")`,
    },
  });
}

/** A setting that means nothing without others being set (or true) too. */
export function Needs(...others: string[]): PropertyDecorator {
  const missing = (args?: ValidationArguments) =>
    others.filter((other) => !(args?.object as Record<string, unknown>)[other]);
  return ValidateBy({
    name: 'needs',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => missing(args).length === 0,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property} needs ${missing(args).join(' and ')} set too`,
    },
  });
}

/** A CA file is used by sslmode=verify-full only: set without it, it would be ignored. */
function ForVerifyFull(): PropertyDecorator {
  return ValidateBy({
    name: 'forVerifyFull',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        /[?&]sslmode=verify-full(&|$)/.test(
          String((args?.object as { DATABASE_URL?: unknown }).DATABASE_URL),
        ),
      defaultMessage: () => 'DATABASE_CA_FILE needs sslmode=verify-full in DATABASE_URL',
    },
  });
}

/**
 * A database password that equals its role's name is the demo's (docker/postgres/init, and the
 * superuser postgres/postgres of docker-compose.yml): published, so anyone could log in. Refused
 * unless DEMO_MODE is on. The check runs on the URL only; no password at all (certificate or
 * peer authentication) is fine.
 */
function NoPublishedPassword(): PropertyDecorator {
  const published = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    const url = URL.parse(value);
    if (!url || url.password === '') return undefined;
    const [user, password] = [url.username, url.password].map(decodedOrAsIs);
    return user === password ? user : undefined;
  };
  return ValidateBy({
    name: 'noPublishedPassword',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (args?.object as { DEMO_MODE?: unknown }).DEMO_MODE === true || !published(value),
      defaultMessage: (args?: ValidationArguments) =>
        `DATABASE_URL: the password of role "${published(args?.value)}" is its own name, the ` +
        "demo's published default; give the role a password of its own (SERVICE_DB_PASSWORD in " +
        'docker-compose.yml), or set DEMO_MODE=true for the demo',
    },
  });
}

function decodedOrAsIs(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A Postgres URL's TLS parameters: sslmode=verify-full or disable, and nothing else. */
function PostgresTlsSettings(): PropertyDecorator {
  return ValidateBy({
    name: 'postgresTls',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !postgresTlsProblem(value),
      defaultMessage: (args?: ValidationArguments) => `${postgresTlsProblem(String(args?.value))}`,
    },
  });
}
