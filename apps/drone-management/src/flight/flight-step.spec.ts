import { type DroneFlightState } from '@drone-delivery/contracts';
import { destinationPoint, haversineKm, planTrip } from '../geo/geo';
import {
  advanceFlight,
  canReplan,
  type Flight,
  type FlightContext,
  type FlightSettings,
  projectEtas,
  recallHome,
  remainingRouteKm,
  startDeliveryFlight,
  unloadedDeliveryId,
} from './flight-step';

const HOME = { lat: 47.6062, lng: -122.3321 };
// 6 km north to the pickup, 12 km east to the dropoff.
const PICKUP = destinationPoint(HOME, 0, 6);
const DROPOFF = destinationPoint(PICKUP, 90, 12);
const DELIVERY_ID = '0192f0c4-5a1b-7c3d-8e4f-123456789abc';
const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const MINUTE = 60_000;

/** 60 km/h: a km a minute. One minute to load, 5 % of charge a minute; 60 km on a battery. */
const SETTINGS: FlightSettings = { speedKmh: 60, loadMs: MINUTE, chargePercentPerMinute: 5 };
const CONTEXT: FlightContext = {
  homeBase: HOME,
  route: { pickup: PICKUP, dropoff: DROPOFF, notBefore: null },
  batteryPercentPerKm: 100 / 60,
};

const at = (ms: number) => new Date(ms);

function idleAtHome(batteryPercent = 100): Flight {
  return {
    state: 'idle',
    deliveryId: null,
    location: HOME,
    batteryPercent,
    positionedAt: at(T0 - 3_600_000),
    stateSince: at(T0 - 3_600_000),
  };
}

/** Just assigned: leaves the base for the pickup at T0. */
const departed = () => startDeliveryFlight(idleAtHome(), DELIVERY_ID, at(T0));

/** Where the whole flight is at each state change, played in one step. */
function wholeFlight(context = CONTEXT) {
  return advanceFlight(departed(), context, at(T0 + 24 * 3_600_000), SETTINGS);
}

const stateAt = (entered: Flight[], state: DroneFlightState) =>
  entered.find((flight) => flight.state === state) as Flight;

describe('advanceFlight', () => {
  it('moves along the great circle towards the pickup at cruise speed, draining the battery', () => {
    const flight = departed();
    const step = advanceFlight(flight, CONTEXT, at(T0 + 2.5 * MINUTE), SETTINGS);

    expect(step.entered).toEqual([]);
    expect(step.flight.state).toBe('flying-to-pickup');
    expect(haversineKm(HOME, step.flight.location)).toBeCloseTo(2.5, 6);
    expect(haversineKm(step.flight.location, PICKUP)).toBeCloseTo(3.5, 6);
    expect(step.flight.batteryPercent).toBeCloseTo(100 - 2.5 * (100 / 60), 6);
    expect(step.flight.positionedAt).toEqual(at(T0 + 2.5 * MINUTE));
    expect(step.flight.stateSince).toEqual(at(T0));
  });

  it('flies the whole delivery through every state in order, each at the moment it is due', () => {
    const step = wholeFlight();
    expect(step.entered.map((flight) => flight.state)).toEqual([
      'loading',
      'flying-to-dropoff',
      'unloading',
      'returning',
      'charging',
      'idle',
    ]);
    const since = (state: DroneFlightState) => stateAt(step.entered, state).stateSince.getTime();
    expect(since('loading')).toBe(T0 + 6 * MINUTE);
    expect(since('flying-to-dropoff')).toBe(T0 + 7 * MINUTE);
    expect(since('unloading')).toBe(T0 + 19 * MINUTE);
    expect(since('returning')).toBe(T0 + 20 * MINUTE);
    const homeKm = haversineKm(DROPOFF, HOME);
    expect(since('charging')).toBe(Math.round(T0 + (20 + homeKm) * MINUTE));
    expect(stateAt(step.entered, 'loading').location).toEqual(PICKUP);
    expect(stateAt(step.entered, 'unloading').location).toEqual(DROPOFF);
    expect(stateAt(step.entered, 'charging').location).toEqual(HOME);
  });

  it('uses battery for every km and recharges it at the base before the drone is idle', () => {
    const step = wholeFlight();
    const flownKm = 6 + 12 + haversineKm(DROPOFF, HOME);
    const landed = stateAt(step.entered, 'charging');
    expect(landed.batteryPercent).toBeCloseTo(100 - flownKm * (100 / 60), 6);
    const idle = stateAt(step.entered, 'idle');
    expect(idle.batteryPercent).toBe(100);
    // 5 % a minute.
    const chargingMinutes = (idle.stateSince.getTime() - landed.stateSince.getTime()) / MINUTE;
    expect(chargingMinutes).toBeCloseTo((100 - landed.batteryPercent) / 5, 3);
    expect(step.flight).toEqual(idle);
  });

  it('names the delivery until the drone is idle again, and completes it once unloaded', () => {
    const step = wholeFlight();
    expect(step.completedDeliveryId).toBe(DELIVERY_ID);
    for (const state of ['loading', 'unloading', 'returning', 'charging'] as const) {
      expect(stateAt(step.entered, state).deliveryId).toBe(DELIVERY_ID);
    }
    expect(stateAt(step.entered, 'idle').deliveryId).toBeNull();
  });

  it('reaches the same states at the same moments tick by tick as in one step', () => {
    const flight = departed();
    const entered: Flight[] = [];
    let current = flight;
    let completions = 0;
    for (let now = T0; current.state !== 'idle'; now += 7_000) {
      const step = advanceFlight(current, CONTEXT, at(now), SETTINGS);
      entered.push(...step.entered);
      if (step.completedDeliveryId) completions++;
      current = step.flight;
    }
    const whole = wholeFlight().entered;
    expect(entered.map((step) => step.state)).toEqual(whole.map((step) => step.state));
    entered.forEach((step, index) => {
      expect(Math.abs(step.stateSince.getTime() - whole[index].stateSince.getTime())).toBeLessThan(
        2,
      );
      expect(haversineKm(step.location, whole[index].location)).toBeLessThan(1e-6);
    });
    expect(completions).toBe(1);
  });

  it('waits at the base for a later pickup time and leaves to arrive just then', () => {
    const notBefore = at(T0 + 60 * MINUTE);
    const context = { ...CONTEXT, route: { ...CONTEXT.route!, notBefore } };
    const flight = departed();

    const waiting = advanceFlight(flight, context, at(T0 + 50 * MINUTE), SETTINGS).flight;
    expect(waiting.state).toBe('flying-to-pickup');
    expect(waiting.location).toEqual(HOME);
    expect(waiting.batteryPercent).toBe(100);

    const underway = advanceFlight(waiting, context, at(T0 + 57 * MINUTE), SETTINGS).flight;
    expect(haversineKm(HOME, underway.location)).toBeCloseTo(3, 6);

    const step = advanceFlight(underway, context, at(T0 + 62 * MINUTE), SETTINGS);
    expect(stateAt(step.entered, 'loading').stateSince).toEqual(notBefore);
    expect(stateAt(step.entered, 'flying-to-dropoff').stateSince).toEqual(at(T0 + 61 * MINUTE));
  });

  it('flies to the new dropoff when the route changes on the way', () => {
    const flight = departed();
    const outbound = advanceFlight(flight, CONTEXT, at(T0 + 10 * MINUTE), SETTINGS).flight;
    expect(outbound.state).toBe('flying-to-dropoff');

    const newDropoff = destinationPoint(PICKUP, 200, 5);
    const moved = { ...CONTEXT, route: { ...CONTEXT.route!, dropoff: newDropoff } };
    const step = advanceFlight(outbound, moved, at(T0 + 60 * MINUTE), SETTINGS);
    const unloading = stateAt(step.entered, 'unloading');
    expect(unloading.location).toEqual(newDropoff);
    const legKm = haversineKm(outbound.location, newDropoff);
    expect(unloading.stateSince.getTime()).toBe(Math.round(T0 + (10 + legKm) * MINUTE));
  });

  it('turns home, for nobody, when the delivery it flies no longer has a route', () => {
    const flight = departed();
    const outbound = advanceFlight(flight, CONTEXT, at(T0 + 3 * MINUTE), SETTINGS).flight;
    const step = advanceFlight(
      outbound,
      { ...CONTEXT, route: null },
      at(T0 + 4 * MINUTE),
      SETTINGS,
    );
    expect(step.entered[0]).toMatchObject({ state: 'returning', deliveryId: null });
    expect(step.flight.state).toBe('returning');
    expect(haversineKm(step.flight.location, HOME)).toBeCloseTo(2, 6);
    expect(step.completedDeliveryId).toBeNull();
  });

  it('never drains the battery below empty', () => {
    const flight = { ...departed(), batteryPercent: 1 };
    const step = advanceFlight(flight, CONTEXT, at(T0 + 5 * MINUTE), SETTINGS);
    expect(step.flight.batteryPercent).toBe(0);
  });

  it('leaves an idle drone as it is', () => {
    const step = advanceFlight(idleAtHome(), CONTEXT, at(T0), SETTINGS);
    expect(step).toEqual({ flight: idleAtHome(), entered: [], completedDeliveryId: null });
  });
});

describe('projectEtas', () => {
  it('agrees with the trip planned at assignment', () => {
    const plan = planTrip({
      droneAt: HOME,
      pickup: PICKUP,
      dropoff: DROPOFF,
      homeBase: HOME,
      now: at(T0),
      speedKmh: SETTINGS.speedKmh,
      loadSeconds: SETTINGS.loadMs / 1_000,
    });
    const etas = projectEtas(departed(), CONTEXT, SETTINGS);
    expect(etas).toEqual({ pickupEta: plan.pickupEta, dropoffEta: plan.dropoffEta });
  });

  it('gives only the stops still ahead, and none once the package is unloading', () => {
    const flights = wholeFlight().entered;
    expect(projectEtas(stateAt(flights, 'loading'), CONTEXT, SETTINGS)).toEqual({
      dropoffEta: at(T0 + 19 * MINUTE),
    });
    expect(projectEtas(stateAt(flights, 'flying-to-dropoff'), CONTEXT, SETTINGS)).toEqual({
      dropoffEta: at(T0 + 19 * MINUTE),
    });
    for (const state of ['unloading', 'returning', 'charging', 'idle'] as const) {
      expect(projectEtas(stateAt(flights, state), CONTEXT, SETTINGS)).toEqual({});
    }
  });

  it('moves the dropoff ETA with a new dropoff, from where the drone is', () => {
    const outbound = advanceFlight(departed(), CONTEXT, at(T0 + 10 * MINUTE), SETTINGS);
    const newDropoff = destinationPoint(PICKUP, 90, 4);
    const etas = projectEtas(
      outbound.flight,
      { ...CONTEXT, route: { ...CONTEXT.route!, dropoff: newDropoff } },
      SETTINGS,
    );
    // 3 km flown of the 12 towards the old dropoff; the new one is 1 km further along.
    expect(etas.dropoffEta?.getTime()).toBe(T0 + 11 * MINUTE);
  });
});

describe('remainingRouteKm', () => {
  it('is the rest of the route and the way home', () => {
    const homeKm = haversineKm(DROPOFF, HOME);
    const flights = wholeFlight().entered;
    expect(remainingRouteKm(departed(), CONTEXT)).toBeCloseTo(18 + homeKm, 6);
    expect(remainingRouteKm(stateAt(flights, 'loading'), CONTEXT)).toBeCloseTo(12 + homeKm, 6);
    expect(remainingRouteKm(stateAt(flights, 'unloading'), CONTEXT)).toBeCloseTo(homeKm, 6);
    expect(remainingRouteKm(stateAt(flights, 'charging'), CONTEXT)).toBe(0);
  });
});

describe('recallHome', () => {
  const now = at(T0 + 5 * MINUTE);

  it('sends a drone on its way home, flying for nobody', () => {
    const outbound = advanceFlight(departed(), CONTEXT, now, SETTINGS).flight;
    expect(recallHome(outbound, HOME, now)).toMatchObject({
      state: 'returning',
      deliveryId: null,
      location: outbound.location,
      stateSince: now,
    });
  });

  it('lets a drone that never left its base be idle at once, or charge if it must', () => {
    const flight = departed();
    expect(recallHome(flight, HOME, now)).toMatchObject({ state: 'idle', deliveryId: null });
    expect(recallHome({ ...flight, batteryPercent: 80 }, HOME, now).state).toBe('charging');
  });
});

describe('canReplan', () => {
  it('allows a new route until the package is being unloaded', () => {
    const before: DroneFlightState[] = ['flying-to-pickup', 'loading', 'flying-to-dropoff'];
    const after: DroneFlightState[] = ['unloading', 'returning', 'charging', 'idle'];
    expect(before.every(canReplan)).toBe(true);
    expect(after.some(canReplan)).toBe(false);
  });
});

describe('unloadedDeliveryId', () => {
  /** Each report of a flight with the delivery it says was unloaded, state by state. */
  const unloadedIn = (start: Flight, entered: Flight[]) =>
    entered.map((flight, index) => [
      flight.state,
      unloadedDeliveryId(flight, entered[index - 1] ?? start),
    ]);

  it('names the delivery from the way home to the report of becoming idle after charging', () => {
    expect(unloadedIn(departed(), wholeFlight().entered)).toEqual([
      ['loading', null],
      ['flying-to-dropoff', null],
      ['unloading', null],
      ['returning', DELIVERY_ID],
      ['charging', DELIVERY_ID],
      ['idle', DELIVERY_ID],
    ]);
  });

  it('names none on the way home from a cancelled flight, nor for a drone idle since', () => {
    const now = at(T0 + 5 * MINUTE);
    const recalled = recallHome(
      advanceFlight(departed(), CONTEXT, now, SETTINGS).flight,
      HOME,
      now,
    );
    const home = advanceFlight(
      recalled,
      { ...CONTEXT, route: null },
      at(T0 + 86_400_000),
      SETTINGS,
    );
    expect(unloadedIn(recalled, [recalled, ...home.entered])).toEqual([
      ['returning', null],
      ['charging', null],
      ['idle', null],
    ]);
    const idle = home.flight;
    expect(unloadedDeliveryId(idle, idle)).toBeNull();
  });
});
