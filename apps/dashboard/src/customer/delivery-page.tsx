import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/api-client';
import { session } from '../auth/session';
import {
  type DeliveryStatusView,
  type GeoPoint,
  type HistoryEntry,
  type ServiceArea,
} from '../api/api-types';
import { formatPoint, formatTime, shortId, stageLabel } from '../app/format';
import { useLiveStore } from '../app/live';
import { ProblemAlert } from '../app/problem-alert';
import { onLinkClick } from '../app/router';
import { useApi } from '../app/use-api';
import { droneStateStyle } from '../map/drone-states';
import { ServiceMap } from '../map/service-map';
import { isTerminal, routeOf, stageOf } from '../stream/delivery-timeline';
import { CancelDelivery, NotificationForm, RescheduleForm } from './delivery-actions';
import { DeliveryTimelineList } from './delivery-timeline-list';
import { useFollowedDeliveries } from './followed-deliveries';
import { mapDataOf } from './live-map-data';
import { draftOf, EMPTY_POINT, type PointDraft, pointOf } from './point-fields';

const HISTORY_PAGE = 500;

/** The whole history, page by page; [] while delivery-history has not recorded the delivery. */
async function loadHistory(deliveryId: string): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for (;;) {
    const after = entries.at(-1)?.sequence ?? 0;
    let page: HistoryEntry[];
    try {
      page = await api<HistoryEntry[]>(
        `/api/v1/deliveries/${deliveryId}/history?afterSequence=${after}&limit=${HISTORY_PAGE}`,
      );
    } catch {
      // Not recorded yet (a delivery scheduled a moment ago) or unavailable: the stream's
      // subscription replays the history once it has it.
      return entries;
    }
    entries.push(...page);
    if (page.length < HISTORY_PAGE) return entries;
  }
}

/** One delivery: its live stage, drone on the map, timeline, and what the customer may change. */
export function DeliveryPage({ deliveryId, area }: { deliveryId: string; area: ServiceArea }) {
  const store = useLiveStore();
  const status = useApi<DeliveryStatusView>(`/api/v1/deliveries/${deliveryId}`);
  const [historyLoaded, setHistoryLoaded] = useState(false);
  const [newDropoff, setNewDropoff] = useState<PointDraft>(EMPTY_POINT);
  const [picking, setPicking] = useState(false);

  // History first, then the stream from where it ends: the stream replays only what is newer.
  useEffect(() => {
    let current = true;
    setHistoryLoaded(false);
    void loadHistory(deliveryId).then((entries) => {
      if (!current) return;
      store.addHistory(deliveryId, entries);
      setHistoryLoaded(true);
    });
    return () => {
      current = false;
    };
  }, [deliveryId]);
  const exists = status.data !== undefined;
  useFollowedDeliveries(historyLoaded && exists ? [deliveryId] : []);

  if (status.error && !status.data) {
    return (
      <>
        <h1 tabIndex={-1}>Delivery {shortId(deliveryId)}</h1>
        <ProblemAlert message={status.error} />
        <p>
          <BackLink />
        </p>
      </>
    );
  }

  const events = store.timeline(deliveryId);
  const stage = stageOf(events) ?? status.data?.stage ?? null;
  const route = routeOf(events);
  const { routes, drones } = mapDataOf(store, [deliveryId]);
  const position = route.droneId ? store.position(route.droneId) : undefined;
  const lastKnown: GeoPoint | null = position?.location ?? status.data?.lastKnownLocation ?? null;
  const streamError = store.streamError(deliveryId);
  const pins = pointOf(newDropoff)
    ? [{ label: 'New dropoff', point: pointOf(newDropoff) as GeoPoint }]
    : [];

  return (
    <>
      <h1 tabIndex={-1}>Delivery {shortId(deliveryId)}</h1>
      <p class="stage" aria-live="polite">
        Stage:{' '}
        <strong data-testid="delivery-stage" data-stage={stage ?? ''}>
          {stageLabel(stage)}
        </strong>
      </p>
      {streamError && <p role="alert">{streamError}</p>}
      <div class="columns">
        <section aria-labelledby="map-heading" class="panel">
          <h2 id="map-heading">Where it is</h2>
          <ServiceMap
            area={area}
            drones={drones}
            routes={routes}
            pins={pins}
            label={`Map of delivery ${shortId(deliveryId)}: its route and drone`}
            picking={
              picking
                ? {
                    prompt: 'Choose the new dropoff.',
                    onPick: (point) => setNewDropoff(draftOf(point)),
                  }
                : undefined
            }
          />
          <dl class="facts">
            <dt>Drone</dt>
            <dd>{shortId(route.droneId ?? status.data?.droneId)}</dd>
            <dt>Drone state</dt>
            <dd data-testid="drone-state" data-state={position?.state ?? ''}>
              {position ? droneStateStyle(position.state).label : '—'}
            </dd>
            <dt>Last known position</dt>
            <dd>{formatPoint(lastKnown)}</dd>
            <dt>Pickup</dt>
            <dd>{formatPoint(route.pickup)}</dd>
            <dt>Dropoff</dt>
            <dd>{formatPoint(route.dropoff)}</dd>
            <dt>Dropoff expected</dt>
            <dd>{formatTime(route.dropoffEta ?? status.data?.dropoffEta)}</dd>
          </dl>
        </section>
        <section aria-labelledby="timeline-heading" class="panel">
          <h2 id="timeline-heading">Timeline</h2>
          <DeliveryTimelineList events={events} />
        </section>
      </div>
      {exists && !isTerminal(stage) && (
        <section aria-labelledby="change-heading" class="panel">
          <h2 id="change-heading">Change this delivery</h2>
          <div class="columns">
            <RescheduleForm
              deliveryId={deliveryId}
              dropoff={newDropoff}
              onDropoffChange={setNewDropoff}
              picking={picking}
              onPickOnMap={setPicking}
              onDone={status.reload}
            />
            <CancelDelivery deliveryId={deliveryId} onDone={status.reload} />
          </div>
        </section>
      )}
      {exists && (
        <section aria-labelledby="notifications-section" class="panel">
          <h2 id="notifications-section" class="visually-hidden">
            Notifications
          </h2>
          <NotificationForm deliveryId={deliveryId} />
        </section>
      )}
      <p>
        <BackLink />
      </p>
    </>
  );
}

function BackLink() {
  const operator = session.user?.role === 'operator';
  return (
    <a href="/" onClick={onLinkClick}>
      {operator ? 'Back to the fleet' : 'Back to your deliveries'}
    </a>
  );
}
