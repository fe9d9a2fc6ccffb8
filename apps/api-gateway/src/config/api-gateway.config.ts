import { Transform, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { TOPICS } from '@drone-delivery/contracts';
import {
  KafkaBrokerList,
  loadEnvironment,
  Needs,
  ReadableFile,
  ServiceConfig,
} from '@drone-delivery/service-defaults';

const SERVICE_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

/**
 * Every setting of the gateway, from the environment, checked at start-up. It extends
 * ServiceConfig, not PublicApiConfig: the gateway calls no internal route, so it has no use for
 * the service-token secret; the three AUTH_ settings are PublicApiConfig's, with its checks.
 */
export class ApiGatewayConfig extends ServiceConfig {
  override PORT = 8080;

  /**
   * PEM files of the gateway's certificate (with any intermediates) and its private key: given,
   * it serves HTTPS and WSS on PORT instead of HTTP and WS.
   */
  @IsOptional() @ReadableFile() @Needs('GATEWAY_TLS_KEY_FILE') GATEWAY_TLS_CERT_FILE?: string;
  @IsOptional() @ReadableFile() @Needs('GATEWAY_TLS_CERT_FILE') GATEWAY_TLS_KEY_FILE?: string;

  /** The `iss` every access token must carry, e.g. `http://localhost:8080/identity`. */
  @IsUrl({ require_tld: false, require_protocol: true }) AUTH_ISSUER!: string;
  /** The issuer's JWKS, as the gateway reaches it, e.g. `http://identity:3008/identity/jwks`. */
  @IsUrl({ require_tld: false, require_protocol: true }) AUTH_JWKS_URL!: string;
  /** The `aud` the tokens must name: the public API behind the gateway. */
  @IsString() @MinLength(1) AUTH_AUDIENCE: string = 'api-gateway';

  /** Base URLs of the services behind the gateway, e.g. `http://scheduler:3001`. */
  @IsUrl(SERVICE_URL) SCHEDULER_URL!: string;
  @IsUrl(SERVICE_URL) DELIVERY_URL!: string;
  @IsUrl(SERVICE_URL) DELIVERY_HISTORY_URL!: string;
  @IsUrl(SERVICE_URL) IDENTITY_URL!: string;
  /**
   * drone-management answers GET /api/v1/service-area; it and the two services no public call
   * reaches (accounts, package) are also asked for their health on the operators' page. Defaults:
   * their names in docker-compose.yml, so a stack started without them still runs, and a name
   * that does not resolve shows as unreachable.
   */
  @IsUrl(SERVICE_URL) DRONE_MANAGEMENT_URL: string = 'http://drone-management:3004';
  @IsUrl(SERVICE_URL) ACCOUNTS_URL: string = 'http://accounts:3002';
  @IsUrl(SERVICE_URL) PACKAGE_URL: string = 'http://package:3003';

  /** A forwarded call that sends nothing back for this long is given up: 504. */
  @Type(() => Number) @IsInt() @Min(1) DOWNSTREAM_TIMEOUT_MS: number = 10_000;
  /** Retry-After (seconds) of a 502, 503 or 504 the gateway answers itself. */
  @Type(() => Number) @IsInt() @Min(1) RETRY_AFTER_SECONDS: number = 5;
  /** How long the addresses a service name resolves to are reused before asking DNS again. */
  @Type(() => Number) @IsInt() @Min(0) DNS_CACHE_MS: number = 5_000;
  /**
   * Test hook: fixed addresses for host names, instead of DNS, as `host=addr,addr;host=addr`
   * (two fakes behind one name prove the round robin). Refused unless NODE_ENV is `test`.
   */
  @IsOptional()
  @Matches(/^[\w.-]+=[\w.:]+(,[\w.:]+)*(;[\w.-]+=[\w.:]+(,[\w.:]+)*)*$/, {
    message: 'must read host=address,address;host=address',
  })
  SERVICE_ADDRESSES_OVERRIDE?: string;

  /**
   * Token buckets: a sustained rate per minute and a burst (the bucket's size). Writes (POST,
   * PATCH, DELETE) and reads (GET) per account; and everything per client IP.
   */
  @Type(() => Number) @IsInt() @Min(1) RATE_LIMIT_WRITE_PER_MINUTE: number = 60;
  @Type(() => Number) @IsInt() @Min(1) RATE_LIMIT_WRITE_BURST: number = 20;
  @Type(() => Number) @IsInt() @Min(1) RATE_LIMIT_READ_PER_MINUTE: number = 600;
  @Type(() => Number) @IsInt() @Min(1) RATE_LIMIT_READ_BURST: number = 100;
  @Type(() => Number) @IsInt() @Min(1) RATE_LIMIT_IP_PER_MINUTE: number = 1_200;
  @Type(() => Number) @IsInt() @Min(1) RATE_LIMIT_IP_BURST: number = 200;
  /** Time allowed to the rate-limit store (the database) per request before it counts as down. */
  @Type(() => Number) @IsInt() @Min(50) RATE_LIMIT_STORE_TIMEOUT_MS: number = 1_000;
  /** Pause between sweeps that delete idle (full again) buckets. */
  @Type(() => Number) @IsInt() @Min(100) RATE_LIMIT_PRUNE_INTERVAL_MS: number = 60_000;

  /**
   * Proxies in front of the gateway whose X-Forwarded-For, -Proto and -Host are believed. 0: the
   * client is the socket's peer, and what a client writes in those headers is ignored.
   */
  @Type(() => Number) @IsInt() @Min(0) @Max(10) TRUST_PROXY_HOPS: number = 0;

  /** Kafka: the live stream's events and telemetry, the fleet snapshot's requests and answers. */
  @KafkaBrokerList() KAFKA_BROKERS!: string[];
  /**
   * This instance's name: its consumer groups (every replica reads every event and every
   * snapshot answer) are named after it. Default: the host name (a container's id) and the pid.
   */
  @IsString() @Matches(/^[\w.-]{1,100}$/) INSTANCE_ID: string = `${hostname()}-${process.pid}`;

  /** `GET /api/v1/fleet` gathers drone-management's answers this long. */
  @Type(() => Number) @IsInt() @Min(50) @Max(30_000) FLEET_SNAPSHOT_WAIT_MS: number = 1_000;

  /** Live-stream connections this instance takes; more get 503. */
  @Type(() => Number) @IsInt() @Min(1) STREAM_MAX_CONNECTIONS: number = 1_000;
  /** Deliveries one stream connection may follow at once. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000) STREAM_MAX_SUBSCRIPTIONS: number = 100;
  /** Pings find dead connections; one that misses a ping's pong is closed at the next. */
  @Type(() => Number) @IsInt() @Min(100) STREAM_PING_INTERVAL_MS: number = 15_000;
  /** Positions wait (latest only) while more than this is queued in a client's socket. */
  @Type(() => Number) @IsInt() @Min(1) STREAM_POSITION_HIGH_WATER_BYTES: number = 65_536;
  /** A client this far behind on delivery events is disconnected, to resume from its sequence. */
  @Type(() => Number) @IsInt() @Min(1_024) STREAM_MAX_BUFFERED_BYTES: number = 4_194_304;

  /** How long the merged OpenAPI document is reused before the services are asked again. */
  @Type(() => Number) @IsInt() @Min(0) DOCS_CACHE_MS: number = 10_000;

  /**
   * The dashboard's built files (`npm run build:dashboard`), served at `/`. Default: the
   * workspace's dist/apps/dashboard. A directory that does not exist is no error at start-up:
   * the API works without the dashboard, and `/` says how to build it.
   */
  @IsString() @MinLength(1) DASHBOARD_DIR: string = defaultDashboardDir();

  /**
   * The topics whose dead letters (`<topic>.dlq`) operators see and redrive through
   * /api/v1/operations, comma-separated. Default: every topic of the system.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((topic) => topic.trim())
          .filter((topic) => topic.length > 0)
      : value,
  )
  @IsArray()
  @ArrayNotEmpty()
  @Matches(/^[\w.-]{1,200}$/, { each: true, message: 'each topic must be a Kafka topic name' })
  DEAD_LETTER_SOURCE_TOPICS: string[] = Object.values(TOPICS).map((topic) => topic.name);

  /** Time allowed to each service's /health/ready and /metrics on the operators' page. */
  @Type(() => Number) @IsInt() @Min(50) @Max(30_000) OPERATIONS_PROBE_TIMEOUT_MS: number = 2_000;

  @IsOptional() @IsString() NODE_ENV?: string;
}

/**
 * `<workspace>/dist/apps/dashboard`: the workspace is the nearest folder above this file with a
 * package.json, which finds it from the sources (apps/api-gateway/src/config) and from the
 * build (dist/apps/api-gateway/src/config, /app in the image) alike.
 */
function defaultDashboardDir(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) {
    dir = path.dirname(dir);
  }
  return path.join(dir, 'dist', 'apps', 'dashboard');
}

export function loadApiGatewayConfig(env: NodeJS.ProcessEnv = process.env): ApiGatewayConfig {
  const config = loadEnvironment(ApiGatewayConfig, env);
  if (config.SERVICE_ADDRESSES_OVERRIDE !== undefined && config.NODE_ENV !== 'test') {
    throw new Error(
      'Invalid configuration in the environment:\n' +
        '  - SERVICE_ADDRESSES_OVERRIDE: a test hook, only allowed with NODE_ENV=test',
    );
  }
  return config;
}
