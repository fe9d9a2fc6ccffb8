import { hostname } from 'node:os';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { DEFAULT_SERVICE_AREA } from '@drone-delivery/contracts';
import {
  KafkaBrokerList,
  loadEnvironment,
  Needs,
  ServiceWithTokensConfig,
} from '@drone-delivery/service-defaults';
import { type ServiceArea } from '../geo/geo';

const FINITE = { allowNaN: false, allowInfinity: false };

/** Every setting of the drone-management service, from the environment, checked at start-up. */
export class DroneManagementConfig extends ServiceWithTokensConfig {
  override PORT = 3004;

  /** Kafka bootstrap servers, `host:port[,host:port]`: where the telemetry goes. */
  @KafkaBrokerList() KAFKA_BROKERS!: string[];

  /** Where we deliver: pickups and dropoffs within this many km of the centre. */
  @Type(() => Number)
  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  SERVICE_AREA_CENTER_LAT: number = DEFAULT_SERVICE_AREA.center.lat;
  @Type(() => Number)
  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  SERVICE_AREA_CENTER_LNG: number = DEFAULT_SERVICE_AREA.center.lng;
  @Type(() => Number)
  @IsNumber(FINITE)
  @IsPositive()
  @Max(500)
  SERVICE_AREA_RADIUS_KM: number = DEFAULT_SERVICE_AREA.radiusKm;

  /** Drones seeded at the first start (when the drones table is empty), and their home bases. */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000) FLEET_SIZE: number = 10;
  @Type(() => Number) @IsInt() @Min(1) @Max(100) HOME_BASES: number = 3;
  /** Distance a seeded drone flies on a full battery. */
  @Type(() => Number) @IsNumber(FINITE) @IsPositive() DRONE_MAX_RANGE_KM: number = 60;

  /** Cruise speed, in simulated time: drones fly it and ETAs are planned with it. */
  @Type(() => Number) @IsNumber(FINITE) @IsPositive() DRONE_SPEED_KMH: number = 60;
  /** Time on the ground to load the package at the pickup, and to unload it at the dropoff. */
  @Type(() => Number) @IsInt() @Min(0) LOAD_TIME_SECONDS: number = 60;

  /** Simulated minutes per real minute: 10 makes a 10-minute delivery flight last one minute. */
  @Type(() => Number)
  @IsNumber(FINITE)
  @IsPositive()
  @Max(100_000)
  SIMULATION_TIME_SCALE: number = 10;
  /** Fly the assigned drones (and publish their telemetry); `false` leaves them where they are. */
  @IsIn(['true', 'false']) SIMULATOR_ENABLED = 'true';
  /** Real time between two advances of the flights. */
  @Type(() => Number) @IsInt() @Min(10) @Max(60_000) SIMULATOR_TICK_MS: number = 500;
  /** Real time between two telemetry reports of one drone (state changes are reported at once). */
  @Type(() => Number) @IsInt() @Min(0) @Max(600_000) TELEMETRY_INTERVAL_MS: number = 1_000;

  /**
   * How often an idle drone reports anyway, naming the delivery it completed last: a report of
   * that flight lost on the way (a crash with reports unsent) is then healed by the next one, so
   * the delivery cannot stay open for ever.
   */
  @Type(() => Number) @IsInt() @Min(100) @Max(3_600_000) IDLE_TELEMETRY_INTERVAL_MS: number =
    30_000;
  /** Battery recharged per simulated minute on the charger at the home base. */
  @Type(() => Number)
  @IsNumber(FINITE)
  @IsPositive()
  @Max(100)
  CHARGE_PERCENT_PER_MINUTE: number = 5;

  /**
   * This instance's name in fleet snapshots; each instance reads snapshot requests in a consumer
   * group of its own named after it. Default: the host name (a container's id) and the pid.
   */
  @IsString() @Matches(/^[\w.-]{1,100}$/) INSTANCE_ID: string = `${hostname()}-${process.pid}`;

  /**
   * A drone counts as flown by this instance for this long after the last report it made.
   * Default: two idle reports and a bit (65 s), so an idle drone stays in the fleet snapshot
   * between its reports; the operators' fleet page lists the whole fleet, not only what moved in
   * the last seconds. Overlapping answers of two instances are settled by the newer report.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(7_200_000)
  FLOWN_DRONE_WINDOW_MS?: number;

  get flownDroneWindowMs(): number {
    return this.FLOWN_DRONE_WINDOW_MS ?? 2 * this.IDLE_TELEMETRY_INTERVAL_MS + 5_000;
  }

  /**
   * How to check the access tokens of its one public route, GET /api/v1/service-area (as
   * PublicApiConfig, but optional: the fleet's internal API works without them, and without
   * both the route is not served). docker-compose.yml gives them to every service.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  @Needs('AUTH_JWKS_URL')
  AUTH_ISSUER?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  @Needs('AUTH_ISSUER')
  AUTH_JWKS_URL?: string;
  @IsString() @MinLength(1) AUTH_AUDIENCE: string = 'api-gateway';

  /** Retry-After of a 409 "no drone available": roughly how long until a drone may be free. */
  @Type(() => Number) @IsInt() @Min(1) NO_DRONE_RETRY_AFTER_SECONDS: number = 30;

  get simulatorEnabled(): boolean {
    return this.SIMULATOR_ENABLED === 'true';
  }

  get serviceArea(): ServiceArea {
    return {
      center: { lat: this.SERVICE_AREA_CENTER_LAT, lng: this.SERVICE_AREA_CENTER_LNG },
      radiusKm: this.SERVICE_AREA_RADIUS_KM,
    };
  }
}

export function loadDroneManagementConfig(
  env: NodeJS.ProcessEnv = process.env,
): DroneManagementConfig {
  return loadEnvironment(DroneManagementConfig, env);
}
