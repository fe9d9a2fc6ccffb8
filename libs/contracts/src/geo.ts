/** A WGS 84 position in decimal degrees. */
export interface GeoPoint {
  lat: number;
  lng: number;
}

// The great-circle math every party computes the same way (the fleet's flights, the demo
// clients' routes): a sphere, good to well under 0.5 % at city distances.

/** Mean radius of the Earth (IUGG), the usual sphere for great-circle distances. */
export const EARTH_RADIUS_KM = 6_371.0088;

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
