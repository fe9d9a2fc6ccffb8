import { type DroneFlightState, type GeoPoint } from '@drone-delivery/contracts';
import { haversineKm, moveTowards } from '../geo/geo';

/**
 * The flight of one drone as pure functions of time: no clock, no database. A delivery flight is
 * flying-to-pickup → loading → flying-to-dropoff → unloading → returning → charging → idle.
 * Drones fly straight (great circle) at cruise speed, use battery per km flown and recharge at
 * their home base. All durations here are real time: the settings carry the simulation's scale.
 */

/** Where a delivery flight goes: the active assignment's route. */
export interface FlightRoute {
  pickup: GeoPoint;
  dropoff: GeoPoint;
  /** The customer's pickup time: the drone arrives at the pickup no earlier (null: at once). */
  notBefore: Date | null;
}

/** A drone's flight at one moment: what the drones table keeps of it. */
export interface Flight {
  state: DroneFlightState;
  /**
   * The delivery in the telemetry: the one being flown, still named on the way home and while
   * charging after it was completed (delivery reads "returning for X" as "X was delivered");
   * null after a cancellation and when idle.
   */
  deliveryId: string | null;
  location: GeoPoint;
  batteryPercent: number;
  /** The moment `location` and `batteryPercent` describe. */
  positionedAt: Date;
  /** When the current state (the leg) began. */
  stateSince: Date;
}

/** What a flight needs besides its own state. */
export interface FlightContext {
  homeBase: GeoPoint;
  /** The route of the delivery being flown; null when the drone has no active assignment. */
  route: FlightRoute | null;
  /** Battery used per km flown: 100 / the drone's range on a full battery. */
  batteryPercentPerKm: number;
}

/** The pace of every flight, in real time. */
export interface FlightSettings {
  speedKmh: number;
  /** Time on the ground to load, and again to unload, a package. */
  loadMs: number;
  chargePercentPerMinute: number;
}

export interface FlightStep {
  flight: Flight;
  /** Every state entered on the way, in order, each as it was at the moment it was entered. */
  entered: Flight[];
  /** The delivery whose package was unloaded in this step: its assignment is complete. */
  completedDeliveryId: string | null;
}

export interface FlightEtas {
  pickupEta?: Date;
  dropoffEta?: Date;
}

/** States in which the drone works for a delivery and follows its route. */
const ON_DELIVERY: ReadonlySet<DroneFlightState> = new Set([
  'flying-to-pickup',
  'loading',
  'flying-to-dropoff',
  'unloading',
]);

/** Closer than this (a metre) to its base, a drone is at home: nothing left to fly. */
const AT_HOME_KM = 0.001;

/** Later than any flight ends: used to play a flight to its end. */
const END_OF_TIME = new Date(8.64e15);

export function isOnDelivery(state: DroneFlightState): boolean {
  return ON_DELIVERY.has(state);
}

/**
 * The delivery a drone has unloaded and not yet left behind, for its report in `flight`
 * (`previous` is the flight just before: the one it changed from, or the same leg earlier): the
 * delivery named on the way home and while charging — only an unloaded package is named there,
 * a recalled drone flies home for nobody — and, once more, on becoming idle after that charge.
 */
export function unloadedDeliveryId(flight: Flight, previous: Flight): string | null {
  if (flight.state === 'returning' || flight.state === 'charging') return flight.deliveryId;
  if (flight.state === 'idle' && previous.state === 'charging') return previous.deliveryId;
  return null;
}

/** The package is not yet at the dropoff, so the flight can still be re-planned. */
export function canReplan(state: DroneFlightState): boolean {
  return state === 'flying-to-pickup' || state === 'loading' || state === 'flying-to-dropoff';
}

/** A drone that has just been assigned `deliveryId` takes off towards the pickup. */
export function startDeliveryFlight(flight: Flight, deliveryId: string, now: Date): Flight {
  return { ...flight, state: 'flying-to-pickup', deliveryId, positionedAt: now, stateSince: now };
}

/**
 * A cancelled flight: the drone turns home from where it is, flying for nobody. One that never
 * left its base goes straight to the charger, or is idle at once if it needs no charge.
 */
export function recallHome(flight: Flight, homeBase: GeoPoint, now: Date): Flight {
  const atHome = haversineKm(flight.location, homeBase) < AT_HOME_KM;
  const state: DroneFlightState = !atHome
    ? 'returning'
    : flight.batteryPercent < 100
      ? 'charging'
      : 'idle';
  return { ...flight, state, deliveryId: null, positionedAt: now, stateSince: now };
}

/**
 * Plays the flight forward to `until`, through as many states as it finishes on the way; each
 * state change happens at the exact moment it would, so a late tick (or a restart) loses nothing.
 * A drone on a delivery whose route is gone (the assignment no longer active) turns home.
 */
export function advanceFlight(
  flight: Flight,
  context: FlightContext,
  until: Date,
  settings: FlightSettings,
): FlightStep {
  const entered: Flight[] = [];
  let completedDeliveryId: string | null = null;
  let current = flight;
  // Each change moves forward along a chain of seven states, so this ends.
  for (;;) {
    const next = advanceWithinState(current, context, until.getTime(), settings);
    if (next.state === current.state) return { flight: next, entered, completedDeliveryId };
    if (current.state === 'unloading' && next.state === 'returning' && next.deliveryId !== null) {
      completedDeliveryId = next.deliveryId;
    }
    entered.push(next);
    current = next;
  }
}

/**
 * When the drone will be at the pickup and at the dropoff, for the stops still ahead of it (an
 * empty answer once the package is unloading). Plays the same flight the simulator flies, so the
 * estimates are the times the states will change.
 */
export function projectEtas(
  flight: Flight,
  context: FlightContext,
  settings: FlightSettings,
): FlightEtas {
  if (!canReplan(flight.state) || context.route === null) return {};
  const { entered } = advanceFlight(flight, context, END_OF_TIME, settings);
  const enteredAt = (state: DroneFlightState) =>
    entered.find((step) => step.state === state)?.stateSince;
  return {
    ...(flight.state === 'flying-to-pickup' && { pickupEta: enteredAt('loading') }),
    dropoffEta: enteredAt('unloading'),
  };
}

/** What the battery must still cover: the rest of the route, then home. */
export function remainingRouteKm(flight: Flight, context: FlightContext): number {
  const { route, homeBase } = context;
  const here = flight.location;
  if (route !== null && isOnDelivery(flight.state) && flight.state !== 'unloading') {
    const toDropoffKm =
      flight.state === 'flying-to-pickup'
        ? haversineKm(here, route.pickup) + haversineKm(route.pickup, route.dropoff)
        : haversineKm(here, route.dropoff);
    return toDropoffKm + haversineKm(route.dropoff, homeBase);
  }
  return flight.state === 'charging' || flight.state === 'idle' ? 0 : haversineKm(here, homeBase);
}

/**
 * Advances within the current state up to `until`, or, if the state ends earlier, returns the
 * next state as it is entered at that moment.
 */
function advanceWithinState(
  flight: Flight,
  context: FlightContext,
  until: number,
  settings: FlightSettings,
): Flight {
  switch (flight.state) {
    case 'flying-to-pickup':
    case 'loading':
    case 'flying-to-dropoff':
    case 'unloading':
      if (context.route === null || flight.deliveryId === null) {
        return enter(flight, 'returning', flight.positionedAt.getTime(), { deliveryId: null });
      }
      return advanceOnRoute(flight, context.route, context, until, settings);
    case 'returning':
      return fly(flight, context, context.homeBase, until, settings, { then: 'charging' });
    case 'charging':
      return charge(flight, until, settings);
    case 'idle':
      return flight;
  }
}

function advanceOnRoute(
  flight: Flight,
  route: FlightRoute,
  context: FlightContext,
  until: number,
  settings: FlightSettings,
): Flight {
  switch (flight.state) {
    case 'flying-to-pickup':
      return fly(flight, context, route.pickup, until, settings, {
        arriveNoEarlierThan: route.notBefore?.getTime(),
        then: 'loading',
      });
    case 'loading': {
      // Waits for the pickup time if the pickup was moved later while the drone was there.
      const loadingFrom = Math.max(flight.stateSince.getTime(), route.notBefore?.getTime() ?? 0);
      return waitOnGround(flight, loadingFrom + settings.loadMs, until, 'flying-to-dropoff');
    }
    case 'flying-to-dropoff':
      return fly(flight, context, route.dropoff, until, settings, { then: 'unloading' });
    case 'unloading':
      return waitOnGround(
        flight,
        flight.stateSince.getTime() + settings.loadMs,
        until,
        'returning',
      );
    default:
      return flight;
  }
}

/**
 * Flies towards `target` at cruise speed. With `arriveNoEarlierThan`, the drone waits where it
 * is and leaves just in time to arrive then, as the ETA was planned.
 */
function fly(
  flight: Flight,
  context: FlightContext,
  target: GeoPoint,
  until: number,
  settings: FlightSettings,
  leg: { arriveNoEarlierThan?: number; then: DroneFlightState },
): Flight {
  const kmPerMs = settings.speedKmh / 3_600_000;
  const distanceKm = haversineKm(flight.location, target);
  const flightMs = distanceKm / kmPerMs;
  const arrival = Math.round(
    Math.max(flight.positionedAt.getTime() + flightMs, leg.arriveNoEarlierThan ?? -Infinity),
  );
  if (arrival <= until) {
    return enter(flight, leg.then, arrival, {
      location: { lat: target.lat, lng: target.lng },
      batteryPercent: drained(flight.batteryPercent, distanceKm, context.batteryPercentPerKm),
    });
  }
  const flownKm = Math.max(0, until - (arrival - flightMs)) * kmPerMs;
  return {
    ...flight,
    location: moveTowards(flight.location, target, flownKm),
    batteryPercent: drained(flight.batteryPercent, flownKm, context.batteryPercentPerKm),
    positionedAt: new Date(until),
  };
}

function waitOnGround(
  flight: Flight,
  endsAt: number,
  until: number,
  then: DroneFlightState,
): Flight {
  const end = Math.round(endsAt);
  return end <= until ? enter(flight, then, end, {}) : { ...flight, positionedAt: new Date(until) };
}

function charge(flight: Flight, until: number, settings: FlightSettings): Flight {
  const percentPerMs = settings.chargePercentPerMinute / 60_000;
  const fullAt = Math.round(
    flight.positionedAt.getTime() + (100 - flight.batteryPercent) / percentPerMs,
  );
  if (fullAt <= until) {
    return enter(flight, 'idle', fullAt, { batteryPercent: 100, deliveryId: null });
  }
  const charged = (until - flight.positionedAt.getTime()) * percentPerMs;
  return {
    ...flight,
    batteryPercent: Math.min(100, flight.batteryPercent + charged),
    positionedAt: new Date(until),
  };
}

function enter(
  flight: Flight,
  state: DroneFlightState,
  at: number,
  changes: Partial<Flight>,
): Flight {
  const moment = new Date(Math.max(at, flight.positionedAt.getTime()));
  return { ...flight, ...changes, state, positionedAt: moment, stateSince: moment };
}

function drained(batteryPercent: number, km: number, percentPerKm: number): number {
  return Math.max(0, batteryPercent - km * percentPerKm);
}
