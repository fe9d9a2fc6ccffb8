import { type GeoPoint } from '../geo';

/** `GET /api/v1/service-area` (drone-management, through the gateway): where the fleet flies. */
export interface ServiceAreaView {
  /** Pickups and dropoffs must lie within `radiusKm` of here. */
  center: GeoPoint;
  radiusKm: number;
  /** Where the drones start, charge and return to. */
  homeBases: GeoPoint[];
}
