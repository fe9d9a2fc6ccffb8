import { type GeoPoint } from '../api/api-types';

/** Kilometres per degree of latitude on the mean Earth sphere (the fleet's own model). */
const KM_PER_DEGREE = (Math.PI * 6_371.0088) / 180;

export interface Projection {
  /** Side of the square SVG viewBox. */
  readonly size: number;
  /** Pixels per kilometre. */
  readonly scale: number;
  toSvg(point: GeoPoint): { x: number; y: number };
  toGeo(x: number, y: number): GeoPoint;
}

/**
 * A local equirectangular projection centred on the service area, sized so the area's circle
 * fills a square of `size` less `padding`. At city scale (tens of km) its distortion is far
 * below a marker's width, so no map library (or tiles) is needed.
 */
export function serviceAreaProjection(
  center: GeoPoint,
  radiusKm: number,
  size = 1_000,
  padding = 40,
): Projection {
  const scale = (size / 2 - padding) / radiusKm;
  const kmPerDegreeLng = KM_PER_DEGREE * Math.cos((center.lat * Math.PI) / 180);
  const half = size / 2;
  return {
    size,
    scale,
    toSvg: (point) => ({
      x: half + (point.lng - center.lng) * kmPerDegreeLng * scale,
      y: half - (point.lat - center.lat) * KM_PER_DEGREE * scale,
    }),
    toGeo: (x, y) => ({
      lat: roundCoordinate(center.lat + (half - y) / scale / KM_PER_DEGREE),
      lng: roundCoordinate(center.lng + (x - half) / scale / kmPerDegreeLng),
    }),
  };
}

/** Five decimals: about a metre, finer than any click. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}

/** A point `eastKm`/`northKm` away: what the map's arrow keys move the cursor by. */
export function offsetKm(point: GeoPoint, eastKm: number, northKm: number): GeoPoint {
  return {
    lat: roundCoordinate(point.lat + northKm / KM_PER_DEGREE),
    lng: roundCoordinate(
      point.lng + eastKm / (KM_PER_DEGREE * Math.cos((point.lat * Math.PI) / 180)),
    ),
  };
}

/** Where a pointer event lands in the SVG's viewBox, given the element's on-screen box. */
export function viewBoxPoint(
  clientX: number,
  clientY: number,
  box: { left: number; top: number; width: number; height: number },
  size: number,
): { x: number; y: number } {
  // The SVG keeps its aspect ratio (xMidYMid meet): the square sits centred in the box.
  const side = Math.min(box.width, box.height);
  const left = box.left + (box.width - side) / 2;
  const top = box.top + (box.height - side) / 2;
  return { x: ((clientX - left) / side) * size, y: ((clientY - top) / side) * size };
}
