import {
  type DeliveryEventName,
  type DeliveryStage,
  type GeoPoint,
  type HistoryEntry,
} from '../api/api-types';

/**
 * A delivery's events as the page holds them: from its history and from the live stream, which
 * overlap (the stream is at least once, and a resume replays). Kept in sequence order, each
 * sequence once, so the timeline shows neither a duplicate nor, once contiguous, a gap.
 */
export type TimelineEvent = HistoryEntry;

/** `events` (in order, unique) with `incoming` merged in; the same array when nothing is new. */
export function mergeEvents(
  events: readonly TimelineEvent[],
  incoming: readonly TimelineEvent[],
): readonly TimelineEvent[] {
  const known = new Set(events.map((event) => event.sequence));
  const fresh = incoming.filter((event) => {
    if (known.has(event.sequence)) return false;
    known.add(event.sequence);
    return true;
  });
  if (fresh.length === 0) return events;
  return [...events, ...fresh].sort((a, b) => a.sequence - b.sequence);
}

/**
 * The sequence to resume after: the end of the unbroken run 1, 2, 3…. Events held beyond a hole
 * stay, and the resume refetches the hole (and them, which the merge then skips).
 */
export function contiguousSequence(events: readonly TimelineEvent[]): number {
  let last = 0;
  for (const event of events) {
    if (event.sequence === last + 1) last = event.sequence;
    else if (event.sequence > last + 1) break;
  }
  return last;
}

/** Sequences missing before the newest event held: what the page must not show as complete. */
export function missingSequences(events: readonly TimelineEvent[]): number[] {
  const have = new Set(events.map((event) => event.sequence));
  const newest = events.at(-1)?.sequence ?? 0;
  const missing: number[] = [];
  for (let sequence = 1; sequence < newest; sequence++) {
    if (!have.has(sequence)) missing.push(sequence);
  }
  return missing;
}

const TERMINAL: readonly DeliveryStage[] = ['Completed', 'Cancelled'];

export function isTerminal(stage: DeliveryStage | null): boolean {
  return stage !== null && TERMINAL.includes(stage);
}

/**
 * The stage after the events, as delivery computes it: a reschedule of a delivery in transit
 * (a new deadline) leaves it in transit; nothing follows Completed or Cancelled.
 */
export function stageOf(events: readonly TimelineEvent[]): DeliveryStage | null {
  let stage: DeliveryStage | null = null;
  for (const event of events) {
    if (isTerminal(stage)) break;
    stage = nextStage(stage, event.type);
  }
  return stage;
}

function nextStage(stage: DeliveryStage | null, type: DeliveryEventName): DeliveryStage | null {
  switch (type) {
    case 'DeliveryCreated':
      return 'Created';
    case 'DeliveryRescheduled':
      return stage === 'InTransit' ? 'InTransit' : 'Rescheduled';
    case 'DeliveryInTransit':
      return 'InTransit';
    case 'DeliveryCompleted':
      return 'Completed';
    case 'DeliveryCancelled':
      return 'Cancelled';
  }
}

/** The planned flight: pickup and drone from DeliveryCreated, the dropoff as last rescheduled. */
export interface PlannedRoute {
  droneId: string | null;
  pickup: GeoPoint | null;
  dropoff: GeoPoint | null;
  dropoffEta: string | null;
}

const isGeoPoint = (value: unknown): value is GeoPoint =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as GeoPoint).lat === 'number' &&
  typeof (value as GeoPoint).lng === 'number';

export function routeOf(events: readonly TimelineEvent[]): PlannedRoute {
  const route: PlannedRoute = { droneId: null, pickup: null, dropoff: null, dropoffEta: null };
  for (const { type, data } of events) {
    if (type === 'DeliveryCreated' || type === 'DeliveryRescheduled') {
      if (type === 'DeliveryCreated' && isGeoPoint(data.pickup)) route.pickup = data.pickup;
      if (isGeoPoint(data.dropoff)) route.dropoff = data.dropoff;
      if (typeof data.dropoffEta === 'string') route.dropoffEta = data.dropoffEta;
    }
    if (typeof data.droneId === 'string') route.droneId = data.droneId;
  }
  return route;
}
