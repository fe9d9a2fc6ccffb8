import {
  DEFAULT_SERVICE_AREA,
  haversineKm as distanceKm,
  MAX_WEIGHT_KG,
} from '@drone-delivery/contracts';
import { pointAt, randomDeliveryRequest } from './delivery-requests';

/** A deterministic stand-in for Math.random (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('pointAt', () => {
  it('lands the given distance away', () => {
    const from = DEFAULT_SERVICE_AREA.center;
    for (const bearing of [0, 90, 200]) {
      expect(distanceKm(from, pointAt(from, bearing, 7))).toBeCloseTo(7, 2);
    }
  });
});

describe('randomDeliveryRequest', () => {
  const requests = Array.from({ length: 2_000 }, (_, index) =>
    randomDeliveryRequest(seededRandom(index)),
  );
  const { center, radiusKm } = DEFAULT_SERVICE_AREA;

  it('keeps every pickup and dropoff inside the service area, dropoffs 1 to 4 km out', () => {
    for (const { pickup, dropoff } of requests) {
      expect(distanceKm(center, pickup)).toBeLessThanOrEqual(radiusKm / 2 + 0.01);
      expect(distanceKm(center, dropoff)).toBeLessThan(radiusKm);
      const hop = distanceKm(pickup, dropoff);
      expect(hop).toBeGreaterThanOrEqual(0.99);
      expect(hop).toBeLessThanOrEqual(4.01);
    }
  });

  it('books packages the scheduler accepts, naming no account (the token does)', () => {
    for (const request of requests) {
      expect(request).not.toHaveProperty('accountId');
      expect(request.package.weightKg).toBeGreaterThan(0);
      expect(request.package.weightKg).toBeLessThanOrEqual(MAX_WEIGHT_KG[request.package.size]);
    }
    const sizes = new Set(requests.map((request) => request.package.size));
    expect([...sizes].sort()).toEqual(['large', 'medium', 'small']);
  });
});
