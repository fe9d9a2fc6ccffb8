import { formatPoint, formatTime } from '../app/format';
import { missingSequences, type TimelineEvent } from '../stream/delivery-timeline';
import { type GeoPoint } from '../api/api-types';

const EVENT_LABELS: Record<TimelineEvent['type'], string> = {
  DeliveryCreated: 'Created',
  DeliveryRescheduled: 'Rescheduled',
  DeliveryInTransit: 'In transit',
  DeliveryCompleted: 'Completed',
  DeliveryCancelled: 'Cancelled',
};

function detailOf(event: TimelineEvent): string {
  const { data } = event;
  const at = (value: unknown) => formatPoint(value as GeoPoint);
  switch (event.type) {
    case 'DeliveryCreated':
      return `pickup ${at(data.pickup)}, dropoff ${at(data.dropoff)}, dropoff expected ${formatTime(data.dropoffEta as string)}`;
    case 'DeliveryRescheduled':
      return `dropoff ${at(data.dropoff)}, dropoff expected ${formatTime(data.dropoffEta as string)}`;
    case 'DeliveryInTransit':
    case 'DeliveryCompleted':
      return `at ${at(data.location)}`;
    case 'DeliveryCancelled':
      return 'the drone is released';
  }
}

/** A delivery's events in order; new ones are appended (and announced) as they arrive. */
export function DeliveryTimelineList({ events }: { events: readonly TimelineEvent[] }) {
  const missing = missingSequences(events);
  return (
    <>
      {events.length === 0 && <p>No events received yet.</p>}
      <ol class="timeline" data-testid="timeline" aria-live="polite" aria-relevant="additions">
        {events.map((event) => (
          <li
            key={event.sequence}
            data-testid="timeline-event"
            data-sequence={event.sequence}
            data-event-type={event.type}
          >
            <span class="sequence">#{event.sequence}</span>{' '}
            <strong>{EVENT_LABELS[event.type]}</strong>{' '}
            <time dateTime={event.occurredAt}>{formatTime(event.occurredAt)}</time>
            <span class="detail"> — {detailOf(event)}</span>
          </li>
        ))}
      </ol>
      {missing.length > 0 && (
        <p role="status" data-testid="timeline-gap">
          Fetching missed events {missing.join(', ')}…
        </p>
      )}
    </>
  );
}
