import { type DeliverySearchPage, type ServiceArea } from '../api/api-types';
import { formatTime, shortId, stageLabel } from '../app/format';
import { useLiveStore } from '../app/live';
import { ProblemAlert } from '../app/problem-alert';
import { onLinkClick } from '../app/router';
import { useApi } from '../app/use-api';
import { isTerminal, stageOf } from '../stream/delivery-timeline';
import { useFollowedDeliveries } from './followed-deliveries';
import { mapDataOf } from './live-map-data';
import { ScheduleForm } from './schedule-form';

/** The list is searched again this often, to find deliveries scheduled elsewhere (the API). */
const LIST_REFRESH_MS = 5_000;
/** The stream follows at most this many of the newest open deliveries. */
const MAX_FOLLOWED = 25;

/** A customer's home: the live map with scheduling, and its deliveries with their live stage. */
export function CustomerHome({ area }: { area: ServiceArea }) {
  const store = useLiveStore();
  const search = useApi<DeliverySearchPage>('/api/v1/delivery-history?limit=50', LIST_REFRESH_MS);
  const items = search.data?.items ?? [];
  const open = items
    .filter((item) => !isTerminal(item.stage))
    .slice(0, MAX_FOLLOWED)
    .map((item) => item.deliveryId);
  useFollowedDeliveries(open);
  const { routes, drones } = mapDataOf(store, open);

  return (
    <>
      <h1 tabIndex={-1}>Your deliveries</h1>
      <ScheduleForm area={area} drones={drones} routes={routes} />
      <section aria-labelledby="deliveries-heading" class="panel">
        <h2 id="deliveries-heading">Deliveries</h2>
        <ProblemAlert message={search.error} />
        {search.loading && !search.data && <p>Loading your deliveries…</p>}
        {search.data && items.length === 0 && <p>No deliveries yet. Schedule one above.</p>}
        {items.length > 0 && (
          <table data-testid="deliveries">
            <caption class="visually-hidden">Your deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Delivery</th>
                <th scope="col">Stage</th>
                <th scope="col">Created</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const timeline = store.timeline(item.deliveryId);
                const stage = stageOf(timeline) ?? item.stage;
                const updated = timeline.at(-1)?.occurredAt ?? item.updatedAt;
                return (
                  <tr
                    key={item.deliveryId}
                    data-testid="delivery-row"
                    data-delivery-id={item.deliveryId}
                  >
                    <th scope="row">
                      <a href={`/deliveries/${item.deliveryId}`} onClick={onLinkClick}>
                        Delivery {shortId(item.deliveryId)}
                      </a>
                    </th>
                    <td data-testid="delivery-row-stage" data-stage={stage}>
                      {stageLabel(stage)}
                    </td>
                    <td>{formatTime(item.createdAt)}</td>
                    <td>{formatTime(updated)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
