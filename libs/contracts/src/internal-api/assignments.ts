import { type GeoPoint } from '../geo';

/** drone-management, internal. All routes need a service token addressed to `drone-management`. */
export const DRONE_MANAGEMENT_SERVICE = 'drone-management';

/**
 * `PUT /internal/v1/assignments/{deliveryId}`: assigns the nearest idle drone that can carry the
 * package and has battery for the whole trip.
 * → 201 AssignmentView | 200 AssignmentView (already assigned: a retry)
 * | 409 problem type NO_DRONE_AVAILABLE_PROBLEM (every able drone is busy)
 * | 422 problem type OUT_OF_SERVICE_AREA_PROBLEM | 400.
 */
export interface PutAssignmentRequest {
  pickup: GeoPoint;
  dropoff: GeoPoint;
  packageWeightKg: number;
  /** ISO 8601; the drone is planned to be at pickup no earlier. Defaults to now. */
  pickupTime?: string;
}

/**
 * `PATCH /internal/v1/assignments/{deliveryId}` re-plans, only until the drone picks the package
 * up (decided under the drone's lock: the one place that says whether a delivery can still be
 * rescheduled): → 200 AssignmentView with new ETAs (also for the same change again after pickup:
 * a retry) | 404 | 409 (picked up, released, completed, or not battery enough) | 422 (out of
 * area) | 400.
 */
export type PatchAssignmentRequest = Partial<Pick<PutAssignmentRequest, 'dropoff' | 'pickupTime'>>;

/** `GET /internal/v1/assignments/{deliveryId}` → 200 | 404. `DELETE` → 204, also when already released or completed. */
export interface AssignmentView {
  deliveryId: string;
  droneId: string;
  status: 'active' | 'released' | 'completed';
  pickup: GeoPoint;
  dropoff: GeoPoint;
  packageWeightKg: number;
  pickupEta: string;
  dropoffEta: string;
}

/** `GET /internal/v1/drones` → 200 DroneView[]: the fleet. */
export interface DroneView {
  droneId: string;
  name: string;
  status: 'idle' | 'assigned';
  location: GeoPoint;
  homeBase: GeoPoint;
  maxPayloadKg: number;
  batteryPercent: number;
}

export const NO_DRONE_AVAILABLE_PROBLEM =
  'https://drone-delivery.example/problems/no-drone-available';
export const OUT_OF_SERVICE_AREA_PROBLEM =
  'https://drone-delivery.example/problems/out-of-service-area';
