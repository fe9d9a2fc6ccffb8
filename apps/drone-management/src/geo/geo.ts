import { destinationPoint, type GeoPoint, haversineKm } from '@drone-delivery/contracts';

// Shared with the demo clients (libs/contracts); re-exported so the fleet's code reads from here.
export { destinationPoint, EARTH_RADIUS_KM, haversineKm } from '@drone-delivery/contracts';

/** A circle on the map: where the service picks up and drops off. */
export interface ServiceArea {
  center: GeoPoint;
  radiusKm: number;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const degrees = (radiansValue: number) => (radiansValue * 180) / Math.PI;

/** Inside or on the edge of the area. */
export function isInServiceArea(point: GeoPoint, area: ServiceArea): boolean {
  return haversineKm(area.center, point) <= area.radiusKm;
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
