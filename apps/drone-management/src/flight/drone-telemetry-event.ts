import { v7 as uuidv7 } from 'uuid';
import { DRONE_TELEMETRY_REPORTED, type DroneTelemetryEvent } from '@drone-delivery/contracts';
import { type Flight, type FlightEtas } from './flight-step';

/** The `source` of every telemetry report: this service. */
export const DRONE_TELEMETRY_SOURCE = '/drone-management';

export interface TelemetryFacts {
  droneId: string;
  /** The drone's report counter: 1, 2, 3… (persisted, so it keeps counting across restarts). */
  sequence: number;
  flight: Flight;
  etas: FlightEtas;
  /** The delivery whose package the drone has unloaded, until it is idle again (see flight-step). */
  completedDeliveryId?: string | null;
}

/**
 * One report of `drone.telemetry.v1` (libs/contracts events/drone-telemetry.ts), as a CloudEvent
 * about the drone, at the moment the flight describes.
 */
export function droneTelemetryEvent(facts: TelemetryFacts): DroneTelemetryEvent {
  const { flight, etas } = facts;
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: DRONE_TELEMETRY_SOURCE,
    type: DRONE_TELEMETRY_REPORTED,
    subject: facts.droneId,
    time: flight.positionedAt.toISOString(),
    datacontenttype: 'application/json',
    sequence: facts.sequence,
    data: {
      droneId: facts.droneId,
      deliveryId: flight.deliveryId,
      state: flight.state,
      location: { lat: flight.location.lat, lng: flight.location.lng },
      // A tenth of a percent is all a reader of the stream can use.
      batteryPercent: Math.round(flight.batteryPercent * 10) / 10,
      ...(etas.pickupEta && { pickupEta: etas.pickupEta.toISOString() }),
      ...(etas.dropoffEta && { dropoffEta: etas.dropoffEta.toISOString() }),
      ...(facts.completedDeliveryId && { completedDeliveryId: facts.completedDeliveryId }),
    },
  };
}
