import {
  DEFAULT_SERVICE_AREA,
  destinationPoint,
  type GeoPoint,
  MAX_WEIGHT_KG,
  PACKAGE_SIZES,
  type PackageSize,
} from '@drone-delivery/contracts';

/**
 * The body of `POST /api/v1/deliveries` (the scheduler's ScheduleDeliveryDto, as JSON). No
 * accountId: a customer's account is its access token's.
 */
export interface ScheduleDeliveryRequest {
  pickup: GeoPoint;
  dropoff: GeoPoint;
  package: { size: PackageSize; weightKg: number; tag?: string };
}

export interface DemoRouteOptions {
  /** Centre of the service area the scheduler accepts (default: the demo's Seattle). */
  center?: GeoPoint;
  /** Pickups fall within this many km of the centre. */
  pickupRadiusKm?: number;
  /** Each dropoff is this far from its pickup, in km. */
  dropoffKm?: { min: number; max: number };
}

/**
 * Pickups within half the service area, dropoffs 1 to 4 km away: short hops, so a drone flies
 * one in well under a minute at the compose demo's time scale, and every route stays inside the
 * 25 km service area (12.5 + 4 < 25).
 */
const DEFAULTS: Required<DemoRouteOptions> = {
  center: DEFAULT_SERVICE_AREA.center,
  pickupRadiusKm: DEFAULT_SERVICE_AREA.radiusKm / 2,
  dropoffKm: { min: 1, max: 4 },
};

/** The point `distanceKm` from `from` on the initial bearing, to the metre (6 decimals). */
export function pointAt(from: GeoPoint, bearingDegrees: number, distanceKm: number): GeoPoint {
  const point = destinationPoint(from, bearingDegrees, distanceKm);
  return { lat: round(point.lat, 6), lng: round(point.lng, 6) };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * A valid delivery: a random route inside the service area and a
 * package within its size's weight limit. `random` (0 ≤ x < 1) is injectable for tests.
 */
export function randomDeliveryRequest(
  random: () => number = Math.random,
  options: DemoRouteOptions = {},
): ScheduleDeliveryRequest {
  const { center, pickupRadiusKm, dropoffKm } = { ...DEFAULTS, ...options };
  // sqrt: uniform over the disc's area rather than bunched at its centre.
  const pickup = pointAt(center, random() * 360, pickupRadiusKm * Math.sqrt(random()));
  const dropoff = pointAt(
    pickup,
    random() * 360,
    dropoffKm.min + random() * (dropoffKm.max - dropoffKm.min),
  );
  const size = PACKAGE_SIZES[Math.floor(random() * PACKAGE_SIZES.length)];
  // 0.1 kg up to the size's limit, in 100 g steps.
  const weightKg = round(0.1 + random() * (MAX_WEIGHT_KG[size] - 0.1), 1);
  return {
    pickup,
    dropoff,
    package: { size, weightKg },
  };
}
