import {
  destinationPoint,
  EARTH_RADIUS_KM,
  haversineKm,
  initialBearing,
  isInServiceArea,
  moveTowards,
  planTrip,
  remainingRangeKm,
} from './geo';

const SEATTLE = { lat: 47.6062, lng: -122.3321 };

describe('haversineKm', () => {
  it('measures one degree of latitude as a 360th of the great circle', () => {
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(
      (2 * Math.PI * EARTH_RADIUS_KM) / 360,
      6,
    );
  });

  it('measures London to Paris as about 343.5 km', () => {
    const london = { lat: 51.5074, lng: -0.1278 };
    const paris = { lat: 48.8566, lng: 2.3522 };
    expect(haversineKm(london, paris)).toBeCloseTo(343.5, 0);
    expect(haversineKm(paris, london)).toBeCloseTo(haversineKm(london, paris), 9);
  });

  it('is zero for the same point and half the circumference for antipodes', () => {
    expect(haversineKm(SEATTLE, SEATTLE)).toBe(0);
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(
      Math.PI * EARTH_RADIUS_KM,
      6,
    );
  });

  it('takes the short way across the antimeridian', () => {
    expect(haversineKm({ lat: 0, lng: 179.5 }, { lat: 0, lng: -179.5 })).toBeCloseTo(111.2, 1);
  });
});

describe('destinationPoint', () => {
  it('lands the given distance away', () => {
    for (const bearing of [0, 45, 90, 200, 315]) {
      const point = destinationPoint(SEATTLE, bearing, 12.5);
      expect(haversineKm(SEATTLE, point)).toBeCloseTo(12.5, 6);
    }
  });

  it('goes north at bearing 0 and east at bearing 90', () => {
    expect(destinationPoint(SEATTLE, 0, 10).lat).toBeGreaterThan(SEATTLE.lat);
    expect(destinationPoint(SEATTLE, 90, 10).lng).toBeGreaterThan(SEATTLE.lng);
  });
});

describe('initialBearing', () => {
  it('points the way destinationPoint went', () => {
    for (const bearing of [0, 45, 90, 200, 315]) {
      expect(initialBearing(SEATTLE, destinationPoint(SEATTLE, bearing, 20))).toBeCloseTo(
        bearing,
        6,
      );
    }
  });
});

describe('moveTowards', () => {
  const target = destinationPoint(SEATTLE, 70, 10);

  it('moves the given distance along the great circle towards the target', () => {
    const point = moveTowards(SEATTLE, target, 4);
    expect(haversineKm(SEATTLE, point)).toBeCloseTo(4, 6);
    expect(haversineKm(point, target)).toBeCloseTo(6, 6);
  });

  it('stops at the target instead of overshooting it, and stays put for no distance', () => {
    expect(moveTowards(SEATTLE, target, 10.5)).toEqual(target);
    expect(moveTowards(SEATTLE, target, 0)).toEqual(SEATTLE);
    expect(moveTowards(target, target, 1)).toEqual(target);
  });
});

describe('isInServiceArea', () => {
  const area = { center: SEATTLE, radiusKm: 25 };

  it('accepts the centre and points just inside the edge', () => {
    expect(isInServiceArea(SEATTLE, area)).toBe(true);
    expect(isInServiceArea(destinationPoint(SEATTLE, 120, 24.99), area)).toBe(true);
  });

  it('rejects points just outside the edge', () => {
    expect(isInServiceArea(destinationPoint(SEATTLE, 120, 25.01), area)).toBe(false);
    expect(isInServiceArea({ lat: 45.5152, lng: -122.6784 }, area)).toBe(false); // Portland
  });
});

describe('planTrip', () => {
  const now = new Date('2030-01-01T12:00:00.000Z');
  const home = SEATTLE;
  // 6 km north, then 12 km further north: at 60 km/h that is 6 and 12 minutes.
  const pickup = destinationPoint(home, 0, 6);
  const dropoff = destinationPoint(pickup, 0, 12);
  const base = { droneAt: home, pickup, dropoff, homeBase: home, now, speedKmh: 60 };

  it('flies to the pickup, loads, then flies to the dropoff at cruise speed', () => {
    const plan = planTrip({ ...base, loadSeconds: 60 });
    expect(plan.pickupEta.toISOString()).toBe('2030-01-01T12:06:00.000Z');
    expect(plan.dropoffEta.toISOString()).toBe('2030-01-01T12:19:00.000Z');
    expect(plan.toPickupKm).toBeCloseTo(6, 6);
    // Out 18 km and back 18 km.
    expect(plan.totalKm).toBeCloseTo(36, 6);
  });

  it('waits for a pickup time later than the drone could be there', () => {
    const plan = planTrip({
      ...base,
      loadSeconds: 0,
      notBefore: new Date('2030-01-01T14:00:00.000Z'),
    });
    expect(plan.pickupEta.toISOString()).toBe('2030-01-01T14:00:00.000Z');
    expect(plan.dropoffEta.toISOString()).toBe('2030-01-01T14:12:00.000Z');
  });

  it('ignores a pickup time the drone cannot make', () => {
    const plan = planTrip({ ...base, loadSeconds: 0, notBefore: now });
    expect(plan.pickupEta.toISOString()).toBe('2030-01-01T12:06:00.000Z');
  });

  it('scales with speed', () => {
    const plan = planTrip({ ...base, speedKmh: 120, loadSeconds: 0 });
    expect(plan.pickupEta.toISOString()).toBe('2030-01-01T12:03:00.000Z');
  });
});

describe('remainingRangeKm', () => {
  it('is the battery share of the full range', () => {
    expect(remainingRangeKm(100, 60)).toBe(60);
    expect(remainingRangeKm(25, 60)).toBe(15);
  });
});
