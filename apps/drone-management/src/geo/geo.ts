import { type GeoPoint } from '@drone-delivery/contracts';

/** Mean radius of the Earth (IUGG), the usual sphere for great-circle distances. */
export const EARTH_RADIUS_KM = 6_371.0088;

/** A circle on the map: where the service picks up and drops off. */
export interface ServiceArea {
  center: GeoPoint;
  radiusKm: number;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const degrees = (radiansValue: number) => (radiansValue * 180) / Math.PI;

/** Great-circle distance (haversine formula); drones fly straight, so this is their path length. */
export function haversineKm(from: GeoPoint, to: GeoPoint): number {
  const dLat = radians(to.lat - from.lat);
  const dLng = radians(to.lng - from.lng);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(from.lat)) * Math.cos(radians(to.lat)) * Math.sin(dLng / 2) ** 2;
  // min() guards against h creeping above 1 by rounding for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Inside or on the edge of the area. */
export function isInServiceArea(point: GeoPoint, area: ServiceArea): boolean {
  return haversineKm(area.center, point) <= area.radiusKm;
}

/** The point `distanceKm` from `origin` along the initial bearing (degrees clockwise from north). */
export function destinationPoint(
  origin: GeoPoint,
  bearingDegrees: number,
  distanceKm: number,
): GeoPoint {
  const angular = distanceKm / EARTH_RADIUS_KM;
  const bearing = radians(bearingDegrees);
  const lat1 = radians(origin.lat);
  const lng1 = radians(origin.lng);
  const lat2 = Math.asin(
    Math.sin(lat1) * Math.cos(angular) + Math.cos(lat1) * Math.sin(angular) * Math.cos(bearing),
  );
  const lng2 =
    lng1 +
    Math.atan2(
      Math.sin(bearing) * Math.sin(angular) * Math.cos(lat1),
      Math.cos(angular) - Math.sin(lat1) * Math.sin(lat2),
    );
  return { lat: degrees(lat2), lng: ((degrees(lng2) + 540) % 360) - 180 };
}

/** Initial bearing (degrees clockwise from north) of the great circle from `from` to `to`. */
export function initialBearing(from: GeoPoint, to: GeoPoint): number {
  const lat1 = radians(from.lat);
  const lat2 = radians(to.lat);
  const dLng = radians(to.lng - from.lng);
  const y = Math.sin(dLng) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLng);
  return (degrees(Math.atan2(y, x)) + 360) % 360;
}

/**
 * The point `distanceKm` from `from` on the great circle towards `to`; `to` itself once the
 * distance covers the whole way (a drone does not overshoot its stop).
 */
export function moveTowards(from: GeoPoint, to: GeoPoint, distanceKm: number): GeoPoint {
  if (distanceKm >= haversineKm(from, to)) return { lat: to.lat, lng: to.lng };
  if (distanceKm <= 0) return { lat: from.lat, lng: from.lng };
  return destinationPoint(from, initialBearing(from, to), distanceKm);
}

export interface TripRequest {
  /** Where the drone is now. */
  droneAt: GeoPoint;
  pickup: GeoPoint;
  dropoff: GeoPoint;
  /** Where the drone returns (and recharges) after the dropoff. */
  homeBase: GeoPoint;
  /** The drone is planned at the pickup no earlier than this (the customer's pickup time). */
  notBefore?: Date;
  now: Date;
  speedKmh: number;
  loadSeconds: number;
}

export interface TripPlan {
  /** Drone → pickup → dropoff → home base: what the battery must cover. */
  totalKm: number;
  /** Drone → pickup: how far the drone is from the job (the "nearest" of nearest drone). */
  toPickupKm: number;
  pickupEta: Date;
  dropoffEta: Date;
}

/**
 * Plans one delivery flight at cruise speed: fly to the pickup (waiting there until the pickup
 * time if early), load, fly to the dropoff. The return home counts for the battery, not the ETAs.
 */
export function planTrip(trip: TripRequest): TripPlan {
  const toPickupKm = haversineKm(trip.droneAt, trip.pickup);
  const withPackageKm = haversineKm(trip.pickup, trip.dropoff);
  const homeKm = haversineKm(trip.dropoff, trip.homeBase);
  const flightMs = (km: number) => (km / trip.speedKmh) * 3_600_000;
  const earliestAtPickup = trip.now.getTime() + flightMs(toPickupKm);
  const pickupEta = Math.max(earliestAtPickup, trip.notBefore?.getTime() ?? earliestAtPickup);
  const dropoffEta = pickupEta + trip.loadSeconds * 1_000 + flightMs(withPackageKm);
  return {
    totalKm: toPickupKm + withPackageKm + homeKm,
    toPickupKm,
    pickupEta: new Date(Math.round(pickupEta)),
    dropoffEta: new Date(Math.round(dropoffEta)),
  };
}

/** How far a drone can fly on what is left in its battery. */
export function remainingRangeKm(batteryPercent: number, maxRangeKm: number): number {
  return (batteryPercent / 100) * maxRangeKm;
}
