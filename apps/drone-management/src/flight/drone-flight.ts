import { type Assignment } from '../assignments/assignment.entity';
import { type Drone } from '../fleet/drone.entity';
import { type Flight, type FlightContext, type FlightRoute } from './flight-step';

/** Between the drones table and the pure flight model. */

export function flightOf(drone: Drone): Flight {
  return {
    state: drone.flightState,
    deliveryId: drone.flightDeliveryId,
    location: drone.location,
    batteryPercent: drone.batteryPercent,
    positionedAt: drone.positionedAt,
    stateSince: drone.stateSince,
  };
}

/** The columns that store `flight`; the drone is free to book again only once it is idle. */
export function flightColumns(flight: Flight): Partial<Drone> {
  return {
    status: flight.state === 'idle' ? 'idle' : 'assigned',
    flightState: flight.state,
    flightDeliveryId: flight.deliveryId,
    locationLat: flight.location.lat,
    locationLng: flight.location.lng,
    batteryPercent: flight.batteryPercent,
    positionedAt: flight.positionedAt,
    stateSince: flight.stateSince,
  };
}

/** The route of an active assignment (a tombstone has none). */
export function routeOf(assignment: Assignment | null | undefined): FlightRoute | null {
  if (!assignment || assignment.status !== 'active') return null;
  const { pickupLat, pickupLng, dropoffLat, dropoffLng } = assignment;
  if (pickupLat === null || pickupLng === null || dropoffLat === null || dropoffLng === null) {
    return null;
  }
  return {
    pickup: { lat: pickupLat, lng: pickupLng },
    dropoff: { lat: dropoffLat, lng: dropoffLng },
    notBefore: assignment.requestedPickupTime,
  };
}

export function flightContext(drone: Drone, route: FlightRoute | null): FlightContext {
  return {
    homeBase: drone.homeBase,
    route,
    batteryPercentPerKm: 100 / drone.maxRangeKm,
  };
}
