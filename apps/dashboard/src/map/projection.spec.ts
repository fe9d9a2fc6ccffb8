import { offsetKm, serviceAreaProjection, viewBoxPoint } from './projection';

const SEATTLE = { lat: 47.6062, lng: -122.3321 };

describe('serviceAreaProjection', () => {
  const projection = serviceAreaProjection(SEATTLE, 25, 1_000, 40);

  it('puts the centre in the middle and the area edge at the padding', () => {
    expect(projection.toSvg(SEATTLE)).toEqual({ x: 500, y: 500 });
    const north = projection.toSvg(offsetKm(SEATTLE, 0, 25));
    expect(north.x).toBeCloseTo(500, 5);
    expect(north.y).toBeCloseTo(40, 0);
    const east = projection.toSvg(offsetKm(SEATTLE, 25, 0));
    expect(east.x).toBeCloseTo(960, 0);
    expect(east.y).toBeCloseTo(500, 5);
  });

  it('turns a click back into the coordinates under it', () => {
    const point = { lat: 47.65, lng: -122.25 };
    const { x, y } = projection.toSvg(point);
    expect(projection.toGeo(x, y)).toEqual(point);
  });

  it("maps a pointer position through the element's on-screen box", () => {
    // A 600×400 box shows the square viewBox 400 px wide, centred (100 px margins).
    const box = { left: 10, top: 20, width: 600, height: 400 };
    expect(viewBoxPoint(310, 220, box, 1_000)).toEqual({ x: 500, y: 500 });
    expect(viewBoxPoint(110, 20, box, 1_000)).toEqual({ x: 0, y: 0 });
  });
});
