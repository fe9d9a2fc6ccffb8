import { LiveStore } from './live-store';
import { type PositionFrame } from './stream-frames';

const DRONE = '0193a8b0-0000-7000-8000-0000000000d1';
const DELIVERY = '0193a8b0-0000-7000-8000-000000000001';

const position = (reportedAt: string, lat: number): PositionFrame => ({
  type: 'position',
  droneId: DRONE,
  deliveryId: DELIVERY,
  state: 'flying-to-dropoff',
  location: { lat, lng: -122.3 },
  batteryPercent: 80,
  reportedAt,
});

describe('LiveStore', () => {
  it('announces many changes in one notification per frame', () => {
    const frames: (() => void)[] = [];
    const store = new LiveStore((notify) => frames.push(notify));
    let notified = 0;
    store.subscribe(() => (notified += 1));
    store.onFrame(position('2026-12-06T12:00:01.000Z', 47.61));
    store.onFrame(position('2026-12-06T12:00:02.000Z', 47.62));
    store.setStatus('live');
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(notified).toBe(1);
    store.onFrame(position('2026-12-06T12:00:03.000Z', 47.63));
    expect(frames).toHaveLength(2);
  });

  it("keeps a drone's newest position when an older one arrives late", () => {
    const store = new LiveStore((notify) => notify());
    store.onFrame(position('2026-12-06T12:00:02.000Z', 47.62));
    store.onFrame(position('2026-12-06T12:00:01.000Z', 47.61));
    expect(store.position(DRONE)?.location.lat).toBe(47.62);
  });

  it("keeps a delivery's stream error until its next event, and forgets a delivery whole", () => {
    const store = new LiveStore((notify) => notify());
    store.onFrame({
      type: 'error',
      code: 'not-found',
      message: `There is no delivery ${DELIVERY}.`,
      deliveryId: DELIVERY,
    });
    expect(store.streamError(DELIVERY)).toBe(`There is no delivery ${DELIVERY}.`);
    store.onFrame({
      type: 'delivery-event',
      deliveryId: DELIVERY,
      eventId: 'e1',
      eventType: 'DeliveryCreated',
      sequence: 1,
      occurredAt: '2026-12-06T12:00:00.000Z',
      data: { droneId: DRONE },
    });
    expect(store.streamError(DELIVERY)).toBeUndefined();
    store.onFrame(position('2026-12-06T12:00:01.000Z', 47.61));
    store.forget(DELIVERY, DRONE);
    expect(store.timeline(DELIVERY)).toEqual([]);
    expect(store.position(DRONE)).toBeUndefined();
    expect(store.resumeAfter(DELIVERY)).toBe(0);
  });
});
