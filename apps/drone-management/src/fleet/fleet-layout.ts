import { v5 as uuidv5 } from 'uuid';
import { type GeoPoint } from '@drone-delivery/contracts';
import { destinationPoint, type ServiceArea } from '../geo/geo';

/** Fixed namespace of the seeded drones' ids, so every replica and every start names them alike. */
const DRONE_ID_NAMESPACE = '6f1c2d0e-8b7a-4c53-9d2e-3a4b5c6d7e8f';

/** Alternating, so each home base gets light and heavy drones; a large package weighs ≤ 10 kg. */
const PAYLOAD_CLASSES_KG = [10, 5];

/** Home bases sit on a ring this far out (share of the radius), so no base is far from any edge. */
const HOME_BASE_RING = 0.4;

export interface FleetLayoutOptions {
  area: ServiceArea;
  fleetSize: number;
  homeBases: number;
  maxRangeKm: number;
}

export interface DroneSeed {
  id: string;
  name: string;
  homeBase: GeoPoint;
  maxPayloadKg: number;
  maxRangeKm: number;
}

/** Home bases evenly around the centre (one base: the centre itself). */
export function homeBaseLocations(area: ServiceArea, count: number): GeoPoint[] {
  if (count === 1) return [area.center];
  return Array.from({ length: count }, (_, index) =>
    destinationPoint(area.center, (360 * index) / count, area.radiusKm * HOME_BASE_RING),
  );
}

/**
 * The fleet seeded on first start: deterministic (same ids, places and payloads every time, no
 * randomness), drones dealt round-robin to the home bases.
 */
export function fleetLayout(options: FleetLayoutOptions): DroneSeed[] {
  const bases = homeBaseLocations(options.area, options.homeBases);
  const digits = Math.max(2, String(options.fleetSize).length);
  return Array.from({ length: options.fleetSize }, (_, index) => {
    const name = `drone-${String(index + 1).padStart(digits, '0')}`;
    return {
      id: uuidv5(name, DRONE_ID_NAMESPACE),
      name,
      homeBase: bases[index % bases.length],
      maxPayloadKg: PAYLOAD_CLASSES_KG[index % PAYLOAD_CLASSES_KG.length],
      maxRangeKm: options.maxRangeKm,
    };
  });
}
