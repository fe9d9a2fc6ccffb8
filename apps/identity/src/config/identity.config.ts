import { Transform, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { loadEnvironment, ServiceConfig } from '@drone-delivery/service-defaults';
import { parseSigningJwks } from '../signing-keys/signing-jwk';

const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

/** A comma-separated list from the environment, read as a string[]. */
const CommaList = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0)
      : value,
  );

/** Checked at start-up, so a broken key set stops the service with the reason. */
const IsSigningJwks = () =>
  ValidateBy({
    name: 'isSigningJwks',
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && parseSigningJwks(value).length > 0;
        } catch {
          return false;
        }
      },
      defaultMessage: (args) => {
        try {
          parseSigningJwks(String(args?.value));
          return 'must be a JSON Web Key Set of private keys';
        } catch (error) {
          return (error as Error).message;
        }
      },
    },
  });

/** Every setting of the identity provider, from the environment, checked at start-up. */
export class IdentityConfig extends ServiceConfig {
  override PORT = 3008;

  /**
   * The issuer name in every token (`iss`) and the address clients use: the gateway's address
   * plus `/identity`, where the gateway forwards identity's routes unchanged.
   */
  @IsUrl(HTTP_URL) IDENTITY_ISSUER = 'http://localhost:8080/identity';

  /**
   * Private keys as a JWKS (ES256 or EdDSA): the first signs, all are published, which is how a
   * key rotates without downtime. Without it, identity keeps a generated key in its database.
   */
  @IsOptional() @IsSigningJwks() IDENTITY_SIGNING_KEYS?: string;

  /** Lifetime of an access token. Short: a token is valid until it expires. */
  @Type(() => Number) @IsInt() @Min(30) @Max(86_400) ACCESS_TOKEN_TTL_SECONDS = 300;

  /** The `aud` of every access token: the public API behind the gateway. */
  @IsString() @MinLength(1) API_AUDIENCE = 'api-gateway';

  /** The resource indicator (RFC 8707) of that API; clients need not send it. */
  @Matches(/^[a-z][a-z0-9+.-]*:\S+$/i, { message: 'must be an absolute URI' })
  API_RESOURCE = 'urn:drone-delivery:api';

  /** Seed the demo API clients and the demo users (a real deployment seeds none). */
  @IsIn(['true', 'false']) IDENTITY_DEMO_SEED = 'true';

  /** Where the dashboard may receive its authorization codes. */
  @CommaList()
  @IsArray()
  @ArrayNotEmpty()
  @IsUrl(HTTP_URL, { each: true })
  DASHBOARD_REDIRECT_URIS: string[] = ['http://localhost:8080/callback'];

  /**
   * Keys that sign the session and interaction cookies (comma list, the first signs). Generated
   * at start-up when absent: then sign-ins do not survive a restart or move between replicas.
   */
  @IsOptional()
  @CommaList()
  @IsArray()
  @ArrayNotEmpty()
  @MinLength(32, { each: true })
  IDENTITY_COOKIE_KEYS?: string[];

  /** How often expired sessions, codes and interactions are deleted. */
  @Type(() => Number) @IsInt() @Min(1) IDENTITY_PRUNE_INTERVAL_SECONDS = 60;
}

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return loadEnvironment(IdentityConfig, env);
}
