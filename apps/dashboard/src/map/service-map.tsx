import { useMemo, useState } from 'preact/hooks';
import { type GeoPoint, type ServiceArea } from '../api/api-types';
import { formatPoint, shortId } from '../app/format';
import { DRONE_STATE_STYLES, droneStateStyle } from './drone-states';
import { offsetKm, serviceAreaProjection, viewBoxPoint } from './projection';

export interface MapDrone {
  droneId: string;
  state: string;
  location: GeoPoint;
  batteryPercent?: number;
}

export interface MapRoute {
  deliveryId: string;
  pickup: GeoPoint | null;
  dropoff: GeoPoint | null;
}

export interface MapPicking {
  /** What the next pick sets, shown to the person. */
  prompt: string;
  onPick: (point: GeoPoint) => void;
}

interface ServiceMapProps {
  area: ServiceArea;
  drones: MapDrone[];
  routes: MapRoute[];
  /** Points chosen so far (pickup, dropoff), drawn as pins. */
  pins?: { label: string; point: GeoPoint }[];
  picking?: MapPicking;
  label: string;
}

/** Arrow keys move the map cursor 0.5 km; with Shift, 5 km. */
const STEP_KM = 0.5;
const BIG_STEP_KM = 5;

/**
 * The service area as SVG: its circle, the home bases, each delivery's route pickup → dropoff,
 * and every drone as a marker coloured by state with the state written beside it. When
 * `picking`, a click (or the arrow keys and Enter) chooses a point.
 */
export function ServiceMap({ area, drones, routes, pins = [], picking, label }: ServiceMapProps) {
  const projection = useMemo(
    () => serviceAreaProjection(area.center, area.radiusKm),
    [area.center.lat, area.center.lng, area.radiusKm],
  );
  const [cursor, setCursor] = useState<GeoPoint>(area.center);
  const [cursorShown, setCursorShown] = useState(false);
  const { size, scale } = projection;
  const centre = projection.toSvg(area.center);
  const markerRadius = 14;

  const onClick = (event: MouseEvent) => {
    if (!picking) return;
    const box = (event.currentTarget as SVGSVGElement).getBoundingClientRect();
    const { x, y } = viewBoxPoint(event.clientX, event.clientY, box, size);
    const point = projection.toGeo(x, y);
    setCursor(point);
    picking.onPick(point);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!picking) return;
    const step = event.shiftKey ? BIG_STEP_KM : STEP_KM;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setCursorShown(true);
      setCursor((point) => offsetKm(point, move[0], move[1]));
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setCursorShown(true);
      picking.onPick(cursor);
    }
  };

  const cursorAt = projection.toSvg(cursor);
  const interactive = picking !== undefined;
  return (
    <figure class="map">
      <svg
        viewBox={`0 0 ${size} ${size}`}
        class={interactive ? 'map-canvas picking' : 'map-canvas'}
        role={interactive ? 'application' : 'group'}
        aria-roledescription="map"
        aria-label={label}
        aria-describedby={interactive ? 'map-keys' : undefined}
        tabIndex={interactive ? 0 : undefined}
        onClick={onClick}
        onKeyDown={onKeyDown}
        onFocus={() => interactive && setCursorShown(true)}
        data-testid="service-map"
      >
        <circle
          class="area"
          cx={centre.x}
          cy={centre.y}
          r={area.radiusKm * scale}
          data-testid="service-area"
        />
        {area.homeBases.map((base, index) => {
          const at = projection.toSvg(base);
          return (
            <g
              key={`base-${index}`}
              role="img"
              aria-label={`Home base ${index + 1}`}
              data-testid="home-base"
            >
              <rect class="home-base" x={at.x - 11} y={at.y - 11} width={22} height={22} />
              <text class="map-label" x={at.x + 15} y={at.y + 8}>
                Base {index + 1}
              </text>
            </g>
          );
        })}
        {routes.map((route) => {
          if (!route.pickup || !route.dropoff) return null;
          const from = projection.toSvg(route.pickup);
          const to = projection.toSvg(route.dropoff);
          return (
            <g
              key={route.deliveryId}
              role="img"
              aria-label={`Route of delivery ${shortId(route.deliveryId)}: pickup ${formatPoint(route.pickup)}, dropoff ${formatPoint(route.dropoff)}`}
              data-testid="delivery-route"
              data-delivery-id={route.deliveryId}
            >
              <line class="route" x1={from.x} y1={from.y} x2={to.x} y2={to.y} />
              <circle class="pickup" cx={from.x} cy={from.y} r={8} />
              <circle class="dropoff" cx={to.x} cy={to.y} r={8} />
              {routes.length === 1 && (
                <>
                  <text class="map-label" x={from.x + 12} y={from.y + 28}>
                    Pickup
                  </text>
                  <text class="map-label" x={to.x + 12} y={to.y + 28}>
                    Dropoff
                  </text>
                </>
              )}
            </g>
          );
        })}
        {pins.map((pin) => {
          const at = projection.toSvg(pin.point);
          return (
            <g
              key={pin.label}
              role="img"
              aria-label={`${pin.label} at ${formatPoint(pin.point)}`}
              data-testid="map-pin"
            >
              <path class="pin" d={`M${at.x},${at.y} l-10,-24 a12,12 0 1,1 20,0 z`} />
              <text class="map-label strong" x={at.x + 14} y={at.y - 14}>
                {pin.label}
              </text>
            </g>
          );
        })}
        {drones.map((drone) => {
          const at = projection.toSvg(drone.location);
          const style = droneStateStyle(drone.state);
          const battery =
            drone.batteryPercent === undefined
              ? ''
              : `, battery ${Math.round(drone.batteryPercent)}%`;
          return (
            <g
              key={drone.droneId}
              role="img"
              aria-label={`Drone ${shortId(drone.droneId)}: ${style.label}${battery}`}
              data-testid="drone-marker"
              data-drone-id={drone.droneId}
              data-state={drone.state}
              data-lat={drone.location.lat}
              data-lng={drone.location.lng}
              // A CSS transform (set through the DOM, which the CSP allows) so the stylesheet
              // can glide the marker between reports.
              style={{ transform: `translate(${at.x.toFixed(1)}px, ${at.y.toFixed(1)}px)` }}
            >
              <circle class="drone" r={markerRadius} fill={style.colour} />
              <text class="map-label" x={markerRadius + 4} y={8}>
                {style.label}
              </text>
            </g>
          );
        })}
        {interactive && cursorShown && (
          <g class="cursor" aria-hidden="true">
            <line x1={cursorAt.x - 14} y1={cursorAt.y} x2={cursorAt.x + 14} y2={cursorAt.y} />
            <line x1={cursorAt.x} y1={cursorAt.y - 14} x2={cursorAt.x} y2={cursorAt.y + 14} />
          </g>
        )}
      </svg>
      <figcaption>
        {picking && (
          <p id="map-keys">
            {picking.prompt} Click the map, or focus it and use the arrow keys (Shift for bigger
            steps) and Enter. Cursor: <span data-testid="map-cursor">{formatPoint(cursor)}</span>
          </p>
        )}
        <ul class="legend" aria-label="Drone states">
          {Object.entries(DRONE_STATE_STYLES).map(([state, style]) => (
            <li key={state}>
              <svg viewBox="0 0 10 10" class="swatch" aria-hidden="true">
                <circle cx={5} cy={5} r={5} fill={style.colour} />
              </svg>
              {style.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
