import { createHash } from 'node:crypto';
import {
  type ConfirmationType,
  type GeoPoint,
  type PutPackageRequest,
} from '@drone-delivery/contracts';
import { type ScheduleDeliveryDto } from './schedule-delivery.dto';

/**
 * A schedule request with its defaults applied and its times in one format: what the saga log
 * stores, what recovery re-runs from, and what an Idempotency-Key is checked against.
 */
export interface ScheduleRequest {
  accountId: string;
  pickup: GeoPoint;
  dropoff: GeoPoint;
  pickupTime?: string;
  deadline?: string;
  expedited: boolean;
  confirmationRequired: ConfirmationType;
  package: Omit<PutPackageRequest, 'accountId'>;
}

/** `accountId`: whose delivery it is, as the caller's token decides (accountToScheduleFor). */
export function normalizeScheduleRequest(
  dto: ScheduleDeliveryDto,
  accountId: string,
): ScheduleRequest {
  return {
    accountId: accountId.toLowerCase(),
    pickup: { lat: dto.pickup.lat, lng: dto.pickup.lng },
    dropoff: { lat: dto.dropoff.lat, lng: dto.dropoff.lng },
    ...(dto.pickupTime !== undefined && { pickupTime: toIsoInstant(dto.pickupTime) }),
    ...(dto.deadline !== undefined && { deadline: toIsoInstant(dto.deadline) }),
    expedited: dto.expedited ?? false,
    confirmationRequired: dto.confirmationRequired ?? 'none',
    package: {
      size: dto.package.size,
      weightKg: dto.package.weightKg,
      ...(dto.package.tag !== undefined && { tag: dto.package.tag }),
    },
  };
}

/**
 * A hash of the request's meaning: two bodies that differ only in key order, in an explicit
 * default or in how a time is written hash the same.
 */
export function fingerprintScheduleRequest(request: ScheduleRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** `2025-01-01T10:00:00+01:00` → `2025-01-01T09:00:00.000Z`. */
export function toIsoInstant(time: string): string {
  return new Date(time).toISOString();
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
