import { useState } from 'preact/hooks';
import { api, plainMessageOf } from '../api/api-client';
import {
  type GeoPoint,
  type PackageSize,
  type ScheduleDeliveryRequest,
  type ScheduledDelivery,
  type ServiceArea,
} from '../api/api-types';
import { type PlainMessage } from '../api/problem-message';
import { ProblemAlert } from '../app/problem-alert';
import { navigate } from '../app/router';
import { type MapDrone, type MapRoute, ServiceMap } from '../map/service-map';
import { draftOf, EMPTY_POINT, type PointDraft, PointFields, pointOf } from './point-fields';

const PACKAGE_SIZES: { size: PackageSize; label: string }[] = [
  { size: 'small', label: 'Small (up to 2 kg)' },
  { size: 'medium', label: 'Medium (up to 5 kg)' },
  { size: 'large', label: 'Large (up to 10 kg)' },
];

/**
 * Scheduling: the first map click (or Enter on the map) sets the pickup, the second the
 * dropoff; the fields below show both and take typed coordinates too.
 */
export function ScheduleForm({
  area,
  drones,
  routes,
}: {
  area: ServiceArea;
  drones: MapDrone[];
  routes: MapRoute[];
}) {
  const [pickup, setPickup] = useState<PointDraft>(EMPTY_POINT);
  const [dropoff, setDropoff] = useState<PointDraft>(EMPTY_POINT);
  const [next, setNext] = useState<'pickup' | 'dropoff'>('pickup');
  const [size, setSize] = useState<PackageSize>('small');
  const [weight, setWeight] = useState('1');
  const [expedited, setExpedited] = useState(false);
  const [problem, setProblem] = useState<PlainMessage>();
  const [busy, setBusy] = useState(false);
  // One key per intended delivery: a retried or double-submitted form books it once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  const onPick = (point: GeoPoint) => {
    if (next === 'pickup') {
      setPickup(draftOf(point));
      setNext('dropoff');
    } else {
      setDropoff(draftOf(point));
      setNext('pickup');
    }
    setIdempotencyKey(crypto.randomUUID());
  };

  const pins = [
    ...(pointOf(pickup) ? [{ label: 'Pickup', point: pointOf(pickup) as GeoPoint }] : []),
    ...(pointOf(dropoff) ? [{ label: 'Dropoff', point: pointOf(dropoff) as GeoPoint }] : []),
  ];

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const from = pointOf(pickup);
    const to = pointOf(dropoff);
    if (!from || !to) {
      setProblem({
        headline: 'Choose a pickup and a dropoff.',
        explanation: 'Click the map twice, or type both points’ coordinates.',
        fields: [],
      });
      return;
    }
    const body: ScheduleDeliveryRequest = {
      pickup: from,
      dropoff: to,
      expedited,
      package: { size, weightKg: Number(weight) },
    };
    setBusy(true);
    setProblem(undefined);
    try {
      const scheduled = await api<ScheduledDelivery>('/api/v1/deliveries', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': idempotencyKey },
      });
      navigate(`/deliveries/${scheduled.deliveryId}`);
    } catch (error) {
      setProblem(plainMessageOf(error));
    } finally {
      setBusy(false);
    }
  };

  const change = (setter: (value: PointDraft) => void) => (value: PointDraft) => {
    setter(value);
    setIdempotencyKey(crypto.randomUUID());
  };

  return (
    <section aria-labelledby="schedule-heading" class="panel">
      <h2 id="schedule-heading">Schedule a delivery</h2>
      <ServiceMap
        area={area}
        drones={drones}
        routes={routes}
        pins={pins}
        label="Service area map: your deliveries' drones and routes"
        picking={{
          prompt: next === 'pickup' ? 'Next: choose the pickup.' : 'Next: choose the dropoff.',
          onPick,
        }}
      />
      <form onSubmit={(event) => void onSubmit(event)} aria-describedby="schedule-help">
        <p id="schedule-help">
          The service area is {area.radiusKm} km around its centre ({area.center.lat},{' '}
          {area.center.lng}).
        </p>
        <div class="fields">
          <PointFields
            legend="Pickup"
            idPrefix="pickup"
            value={pickup}
            onChange={change(setPickup)}
          />
          <PointFields
            legend="Dropoff"
            idPrefix="dropoff"
            value={dropoff}
            onChange={change(setDropoff)}
          />
          <fieldset>
            <legend>Package</legend>
            <label for="package-size">Size</label>
            <select
              id="package-size"
              value={size}
              onChange={(event) =>
                setSize((event.target as HTMLSelectElement).value as PackageSize)
              }
            >
              {PACKAGE_SIZES.map((option) => (
                <option key={option.size} value={option.size}>
                  {option.label}
                </option>
              ))}
            </select>
            <label for="package-weight">Weight (kg)</label>
            <input
              id="package-weight"
              type="number"
              step="any"
              min={0.01}
              required
              value={weight}
              onInput={(event) => setWeight((event.target as HTMLInputElement).value)}
            />
            <label class="inline">
              <input
                type="checkbox"
                checked={expedited}
                onChange={(event) => setExpedited((event.target as HTMLInputElement).checked)}
              />{' '}
              Expedited
            </label>
          </fieldset>
        </div>
        <ProblemAlert message={problem} />
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? 'Scheduling…' : 'Schedule delivery'}
        </button>
      </form>
    </section>
  );
}
