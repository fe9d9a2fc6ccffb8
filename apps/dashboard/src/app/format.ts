import { type DeliveryStage, type GeoPoint } from '../api/api-types';

const TIME = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME.format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

export function formatPoint(point: GeoPoint | null | undefined): string {
  return point ? `${point.lat.toFixed(5)}, ${point.lng.toFixed(5)}` : '—';
}

/** A UUID's first block: enough to tell deliveries and drones apart on screen. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '—';
}

const STAGE_LABELS: Record<DeliveryStage, string> = {
  Created: 'Created',
  Rescheduled: 'Rescheduled',
  InTransit: 'In transit',
  Completed: 'Completed',
  Cancelled: 'Cancelled',
};

export function stageLabel(stage: DeliveryStage | null | undefined): string {
  return stage ? STAGE_LABELS[stage] : 'Waiting for the first event';
}

/** A `datetime-local` input's value as an ISO instant (the API's format), or undefined. */
export function localInputToIso(value: string): string | undefined {
  if (value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
