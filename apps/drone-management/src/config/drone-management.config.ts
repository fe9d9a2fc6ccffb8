import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsPositive,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { DEFAULT_SERVICE_AREA } from '@drone-delivery/contracts';
import { loadEnvironment } from '@drone-delivery/service-defaults';
import { type ServiceArea } from '../geo/geo';

const FINITE = { allowNaN: false, allowInfinity: false };

/** Every setting of the drone-management service, from the environment, checked at start-up. */
export class DroneManagementConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535) PORT: number = 3004;

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  DATABASE_URL!: string;

  /** Shared secret of the service tokens (at least 32 characters). */
  @IsString() @MinLength(32) SERVICE_TOKEN_SECRET!: string;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: 'log' | 'warn' = 'log';

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

  /** Cruise speed the ETAs are planned with. */
  @Type(() => Number) @IsNumber(FINITE) @IsPositive() DRONE_SPEED_KMH: number = 60;
  /** Time on the ground at the pickup to load the package. */
  @Type(() => Number) @IsInt() @Min(0) LOAD_TIME_SECONDS: number = 60;

  /** Retry-After of a 409 "no drone available": roughly how long until a drone may be free. */
  @Type(() => Number) @IsInt() @Min(1) NO_DRONE_RETRY_AFTER_SECONDS: number = 30;

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
