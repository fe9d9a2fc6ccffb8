import { DEFAULT_SERVICE_AREA } from '@drone-delivery/contracts';
import { haversineKm, isInServiceArea } from '../geo/geo';
import { fleetLayout, homeBaseLocations } from './fleet-layout';

const OPTIONS = { area: DEFAULT_SERVICE_AREA, fleetSize: 10, homeBases: 3, maxRangeKm: 60 };

describe('fleetLayout', () => {
  it('is the same fleet every time', () => {
    expect(fleetLayout(OPTIONS)).toEqual(fleetLayout(OPTIONS));
    expect(new Set(fleetLayout(OPTIONS).map((drone) => drone.id)).size).toBe(10);
  });

  it('spreads the drones over the home bases, all inside the service area', () => {
    const fleet = fleetLayout(OPTIONS);
    const bases = new Set(fleet.map((drone) => `${drone.homeBase.lat},${drone.homeBase.lng}`));
    expect(bases.size).toBe(3);
    for (const drone of fleet)
      expect(isInServiceArea(drone.homeBase, DEFAULT_SERVICE_AREA)).toBe(true);
  });

  it('gives every drone at least 5 kg of payload, some 10 kg, at every base', () => {
    const fleet = fleetLayout(OPTIONS);
    expect(fleet.every((drone) => drone.maxPayloadKg >= 5)).toBe(true);
    for (const base of homeBaseLocations(DEFAULT_SERVICE_AREA, 3)) {
      const payloads = fleet
        .filter((drone) => haversineKm(drone.homeBase, base) < 0.001)
        .map((drone) => drone.maxPayloadKg);
      expect(new Set(payloads)).toEqual(new Set([5, 10]));
    }
  });

  it('puts a single home base at the centre', () => {
    expect(homeBaseLocations(DEFAULT_SERVICE_AREA, 1)).toEqual([DEFAULT_SERVICE_AREA.center]);
  });
});
