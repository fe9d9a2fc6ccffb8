import { useEffect } from 'preact/hooks';
import { type FleetSnapshot, type ServiceArea } from '../api/api-types';
import { formatTime, shortId } from '../app/format';
import { liveStream, useLiveStore } from '../app/live';
import { ProblemAlert } from '../app/problem-alert';
import { onLinkClick } from '../app/router';
import { useApi } from '../app/use-api';
import { droneStateStyle } from '../map/drone-states';
import { type MapDrone, ServiceMap } from '../map/service-map';

/** The snapshot (which instance flies which drone) is gathered again this often. */
const SNAPSHOT_REFRESH_MS = 10_000;

interface FleetRow extends MapDrone {
  deliveryId: string | null;
  instanceId: string | null;
  reportedAt: string;
}

/**
 * The whole fleet: the snapshot gathered from every drone-management instance (with the
 * instance flying each drone), kept moving by the stream's fleet positions between snapshots.
 */
export function FleetPage({ area }: { area: ServiceArea }) {
  const store = useLiveStore();
  const snapshot = useApi<FleetSnapshot>('/api/v1/fleet', SNAPSHOT_REFRESH_MS);
  useEffect(() => liveStream.watchFleet(), []);

  const rows = new Map<string, FleetRow>();
  for (const drone of snapshot.data?.drones ?? []) {
    rows.set(drone.droneId, {
      droneId: drone.droneId,
      state: drone.state,
      location: drone.location,
      batteryPercent: drone.batteryPercent,
      deliveryId: drone.deliveryId,
      instanceId: drone.instanceId,
      reportedAt: drone.reportedAt,
    });
  }
  for (const position of store.allPositions()) {
    const known = rows.get(position.droneId);
    if (known && known.reportedAt > position.reportedAt) continue;
    rows.set(position.droneId, {
      droneId: position.droneId,
      state: position.state,
      location: position.location,
      batteryPercent: position.batteryPercent,
      deliveryId: position.deliveryId,
      instanceId: known?.instanceId ?? null,
      reportedAt: position.reportedAt,
    });
  }
  const drones = [...rows.values()].sort((a, b) => a.droneId.localeCompare(b.droneId));

  return (
    <>
      <h1 tabIndex={-1}>Fleet</h1>
      <ProblemAlert message={snapshot.error} />
      <div class="columns">
        <section aria-labelledby="fleet-map-heading" class="panel">
          <h2 id="fleet-map-heading">Live map</h2>
          <ServiceMap
            area={area}
            drones={drones}
            routes={[]}
            label="Map of every drone in the fleet"
          />
        </section>
        <section aria-labelledby="instances-heading" class="panel">
          <h2 id="instances-heading">Instances</h2>
          {snapshot.loading && !snapshot.data && <p>Asking every instance what it flies…</p>}
          {snapshot.data && (
            <ul data-testid="fleet-instances">
              {snapshot.data.instances.map((instance) => (
                <li key={instance.instanceId}>
                  <code>{instance.instanceId}</code> flies {instance.drones} drone
                  {instance.drones === 1 ? '' : 's'}
                </li>
              ))}
              {snapshot.data.instances.length === 0 && <li>No instance answered in time.</li>}
            </ul>
          )}
        </section>
      </div>
      <section aria-labelledby="drones-heading" class="panel">
        <h2 id="drones-heading">Drones ({drones.length})</h2>
        <table data-testid="fleet">
          <thead>
            <tr>
              <th scope="col">Drone</th>
              <th scope="col">State</th>
              <th scope="col">Battery</th>
              <th scope="col">Delivery</th>
              <th scope="col">Instance</th>
              <th scope="col">Reported</th>
            </tr>
          </thead>
          <tbody>
            {drones.map((drone) => {
              const style = droneStateStyle(drone.state);
              return (
                <tr key={drone.droneId} data-testid="fleet-drone" data-drone-id={drone.droneId}>
                  <th scope="row">
                    <code title={drone.droneId}>{shortId(drone.droneId)}</code>
                  </th>
                  <td data-state={drone.state}>
                    <svg viewBox="0 0 10 10" class="swatch" aria-hidden="true">
                      <circle cx={5} cy={5} r={5} fill={style.colour} />
                    </svg>{' '}
                    {style.label}
                  </td>
                  <td>
                    {drone.batteryPercent === undefined
                      ? '—'
                      : `${Math.round(drone.batteryPercent)}%`}
                  </td>
                  <td>
                    {drone.deliveryId ? (
                      <a href={`/deliveries/${drone.deliveryId}`} onClick={onLinkClick}>
                        {shortId(drone.deliveryId)}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-testid="fleet-drone-instance">{drone.instanceId ?? '—'}</td>
                  <td>{formatTime(drone.reportedAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
