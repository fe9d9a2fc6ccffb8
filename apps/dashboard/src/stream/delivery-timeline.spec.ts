import {
  contiguousSequence,
  mergeEvents,
  missingSequences,
  routeOf,
  stageOf,
  type TimelineEvent,
} from './delivery-timeline';

const event = (
  sequence: number,
  type: TimelineEvent['type'] = 'DeliveryRescheduled',
  data: Record<string, unknown> = {},
): TimelineEvent => ({
  eventId: `event-${sequence}`,
  type,
  sequence,
  occurredAt: new Date(Date.UTC(2026, 11, 6, 12, 0, sequence)).toISOString(),
  data,
});

const sequences = (events: readonly TimelineEvent[]) => events.map((item) => item.sequence);

describe('mergeEvents', () => {
  it('keeps each sequence once, in order, whatever order history and stream deliver', () => {
    const fromHistory = [event(1), event(2), event(3)];
    const fromStream = [event(3), event(5), event(4), event(5)];
    expect(sequences(mergeEvents(fromHistory, fromStream))).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers the same array when nothing is new, so views need not render again', () => {
    const held = [event(1), event(2)];
    expect(mergeEvents(held, [event(2), event(1)])).toBe(held);
  });
});

describe('contiguousSequence', () => {
  it('is the end of the unbroken run from 1: where a resume must start', () => {
    expect(contiguousSequence([])).toBe(0);
    expect(contiguousSequence([event(1), event(2), event(3)])).toBe(3);
    expect(contiguousSequence([event(1), event(2), event(4), event(5)])).toBe(2);
    expect(contiguousSequence([event(2), event(3)])).toBe(0);
  });

  it('lists the sequences a timeline lacks before its newest event', () => {
    expect(missingSequences([event(1), event(4)])).toEqual([2, 3]);
    expect(missingSequences([event(1), event(2)])).toEqual([]);
  });
});

describe('stageOf and routeOf', () => {
  const pickup = { lat: 47.6, lng: -122.3 };
  const dropoff = { lat: 47.7, lng: -122.2 };
  const moved = { lat: 47.65, lng: -122.25 };

  it('follows the stage as delivery does: a reschedule in transit stays in transit', () => {
    expect(stageOf([])).toBeNull();
    expect(stageOf([event(1, 'DeliveryCreated'), event(2, 'DeliveryRescheduled')])).toBe(
      'Rescheduled',
    );
    expect(
      stageOf([
        event(1, 'DeliveryCreated'),
        event(2, 'DeliveryInTransit'),
        event(3, 'DeliveryRescheduled'),
      ]),
    ).toBe('InTransit');
    expect(
      stageOf([
        event(1, 'DeliveryCreated'),
        event(2, 'DeliveryCompleted'),
        event(3, 'DeliveryCancelled'),
      ]),
    ).toBe('Completed');
  });

  it('reads the route from DeliveryCreated and the dropoff from the latest reschedule', () => {
    const route = routeOf([
      event(1, 'DeliveryCreated', { pickup, dropoff, droneId: 'drone-1', dropoffEta: 'a' }),
      event(2, 'DeliveryRescheduled', { dropoff: moved, dropoffEta: 'b' }),
    ]);
    expect(route).toEqual({ droneId: 'drone-1', pickup, dropoff: moved, dropoffEta: 'b' });
  });
});
