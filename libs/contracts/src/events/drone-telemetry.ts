import { type GeoPoint } from '../geo';
import { type CloudEvent, eventParser } from './cloud-event';
import { GEO_POINT_SCHEMA } from './geo.schema';
import { TOPICS } from './topics';

/**
 * What a drone is doing. Delivery derives a delivery's stage from it (state-based: the latest
 * report wins, so a lost or repeated report cannot wedge or double a transition):
 * loaded and flying to dropoff → InTransit; unloading, or a report naming the delivery as
 * `completedDeliveryId`, → Completed.
 */
export const DRONE_FLIGHT_STATES = [
  'idle',
  'flying-to-pickup',
  'loading',
  'flying-to-dropoff',
  'unloading',
  'returning',
  'charging',
] as const;
export type DroneFlightState = (typeof DRONE_FLIGHT_STATES)[number];

export const DRONE_TELEMETRY_REPORTED = 'drone-delivery.drone.TelemetryReported.v1';

export interface DroneTelemetryData {
  droneId: string;
  /** The delivery the drone is flying, or null when it has none. */
  deliveryId: string | null;
  state: DroneFlightState;
  location: GeoPoint;
  batteryPercent: number;
  /** Current estimate for the flight's next stop, when it has one. */
  pickupEta?: string;
  dropoffEta?: string;
  /**
   * The delivery whose package this drone has unloaded (its assignment is complete), on the
   * reports from then until it is idle at home again: returning, charging, and the report of
   * becoming idle. Absent on a drone recalled home for a cancelled or re-planned flight. Lets
   * delivery close a delivery even when every earlier report of the flight was lost.
   */
  completedDeliveryId?: string;
}

export type DroneTelemetryEvent = CloudEvent<typeof DRONE_TELEMETRY_REPORTED, DroneTelemetryData>;

export const DRONE_TELEMETRY_DATA_SCHEMA = {
  type: 'object',
  required: ['droneId', 'deliveryId', 'state', 'location', 'batteryPercent'],
  properties: {
    droneId: { type: 'string', format: 'uuid' },
    deliveryId: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
    state: { enum: DRONE_FLIGHT_STATES },
    location: GEO_POINT_SCHEMA,
    batteryPercent: { type: 'number', minimum: 0, maximum: 100 },
    pickupEta: { type: 'string', format: 'date-time' },
    dropoffEta: { type: 'string', format: 'date-time' },
    completedDeliveryId: { type: 'string', format: 'uuid' },
  },
  additionalProperties: false,
} as const;

export const parseDroneTelemetry = eventParser<DroneTelemetryEvent>(TOPICS.droneTelemetry.name, {
  [DRONE_TELEMETRY_REPORTED]: DRONE_TELEMETRY_DATA_SCHEMA,
});
