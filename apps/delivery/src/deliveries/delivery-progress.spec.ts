import { DRONE_FLIGHT_STATES, type DroneFlightState } from '@drone-delivery/contracts';
import { isNewerReport, stagesProvenBy } from './delivery-progress';

const NOW = new Date('2026-11-22T10:00:00.000Z');
const LATER = new Date('2026-11-22T10:00:01.000Z');

/** A report that is also the newest one applied. */
const newest = (state: DroneFlightState) => ({ reported: state, newest: state });

describe('stagesProvenBy', () => {
  it.each(['Created', 'Rescheduled'] as const)(
    'puts a %s delivery InTransit once the package is on board',
    (stage) => {
      expect(stagesProvenBy(stage, newest('flying-to-dropoff'))).toEqual(['InTransit']);
    },
  );

  it('completes an InTransit delivery when the drone unloads or has left the dropoff', () => {
    for (const state of ['unloading', 'returning', 'charging', 'idle'] as const) {
      expect(stagesProvenBy('InTransit', newest(state))).toEqual(['Completed']);
    }
  });

  it('passes through InTransit when the on-board reports were lost and the drone unloads', () => {
    expect(stagesProvenBy('Created', newest('unloading'))).toEqual(['InTransit', 'Completed']);
    expect(stagesProvenBy('Rescheduled', newest('unloading'))).toEqual(['InTransit', 'Completed']);
  });

  it('moves nothing before the package is on board', () => {
    for (const state of ['idle', 'charging', 'flying-to-pickup', 'loading', 'returning'] as const) {
      expect(stagesProvenBy('Created', newest(state))).toEqual([]);
    }
  });

  it('completes, through InTransit, a delivery the drone names completed, whatever was lost', () => {
    for (const state of ['returning', 'charging', 'idle'] as const) {
      const completed = { ...newest(state), completed: true };
      expect(stagesProvenBy('Created', completed)).toEqual(['InTransit', 'Completed']);
      expect(stagesProvenBy('Rescheduled', completed)).toEqual(['InTransit', 'Completed']);
      expect(stagesProvenBy('InTransit', completed)).toEqual(['Completed']);
    }
  });

  it('does not complete on a drone flying home that does not name the delivery completed', () => {
    // As after a cancelled or re-planned flight: the package was never seen on board.
    for (const state of ['returning', 'charging', 'idle'] as const) {
      expect(stagesProvenBy('Created', { ...newest(state), completed: false })).toEqual([]);
      expect(stagesProvenBy('Rescheduled', newest(state))).toEqual([]);
    }
  });

  it('changes nothing when a report repeats what is already known', () => {
    expect(stagesProvenBy('InTransit', newest('flying-to-dropoff'))).toEqual([]);
    expect(stagesProvenBy('InTransit', newest('loading'))).toEqual([]);
  });

  it('does not complete on a late report from before the flight', () => {
    // An "idle" sent before take-off arrives after the drone was seen flying to the dropoff.
    expect(stagesProvenBy('InTransit', { reported: 'idle', newest: 'flying-to-dropoff' })).toEqual(
      [],
    );
  });

  it('completes when a late on-board report arrives after a newer "returning"', () => {
    expect(
      stagesProvenBy('Created', { reported: 'flying-to-dropoff', newest: 'returning' }),
    ).toEqual(['InTransit', 'Completed']);
  });

  it('never moves a Completed or Cancelled delivery', () => {
    for (const state of DRONE_FLIGHT_STATES) {
      expect(stagesProvenBy('Completed', newest(state))).toEqual([]);
      expect(stagesProvenBy('Cancelled', newest(state))).toEqual([]);
    }
  });
});

describe('isNewerReport', () => {
  it('takes the first report', () => {
    expect(isNewerReport({ time: NOW, sequence: 1 }, null)).toBe(true);
  });

  it('orders by time, then by the drone sequence', () => {
    const applied = { time: NOW, sequence: 7 };
    expect(isNewerReport({ time: LATER, sequence: 1 }, applied)).toBe(true);
    expect(isNewerReport({ time: NOW, sequence: 8 }, applied)).toBe(true);
    expect(isNewerReport({ time: NOW, sequence: 7 }, applied)).toBe(false);
    expect(isNewerReport({ time: NOW, sequence: 6 }, applied)).toBe(false);
    expect(isNewerReport({ time: new Date(NOW.getTime() - 1), sequence: 99 }, applied)).toBe(false);
  });
});
