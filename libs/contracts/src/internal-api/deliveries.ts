import { type GeoPoint } from '../geo';

/** delivery, internal. All /internal routes need a service token addressed to `delivery`. */
export const DELIVERY_SERVICE = 'delivery';

export const DELIVERY_STAGES = [
  'Created',
  'Rescheduled',
  'InTransit',
  'Completed',
  'Cancelled',
] as const;
export type DeliveryStage = (typeof DELIVERY_STAGES)[number];

export const CONFIRMATION_TYPES = ['none', 'fingerprint', 'picture', 'voice'] as const;
export type ConfirmationType = (typeof CONFIRMATION_TYPES)[number];

/**
 * `PUT /internal/v1/deliveries/{deliveryId}`: writes the delivery and its DeliveryCreated event
 * (outbox) in one transaction. → 201 DeliveryView | 200 (the same delivery exists: a retry)
 * | 409 (the id exists with other contents) | 410 (the id was cancelled before it was created:
 * a late PUT after its saga's compensation) | 429 DELIVERY_QUOTA_EXCEEDED_PROBLEM | 400.
 */
export interface PutDeliveryRequest {
  accountId: string;
  packageId: string;
  droneId: string;
  pickup: GeoPoint;
  dropoff: GeoPoint;
  pickupTime?: string;
  deadline?: string;
  expedited: boolean;
  confirmationRequired: ConfirmationType;
  pickupEta: string;
  dropoffEta: string;
}

/**
 * Problem type of the PUT's 429 (with Retry-After): the account already has as many deliveries in
 * flight as its quota allows. Only a new delivery id is refused; a retry of an existing one is not.
 */
export const DELIVERY_QUOTA_EXCEEDED_PROBLEM =
  'https://drone-delivery.example/problems/quota-exceeded';

/**
 * `PATCH /internal/v1/deliveries/{deliveryId}`: reschedules; stage becomes Rescheduled and a
 * DeliveryRescheduled event is written. A new dropoff or pickup time is sent only once
 * drone-management has accepted it (before pickup), so it is recorded on an InTransit delivery
 * too, which stays InTransit. → 200 DeliveryView | 404 | 409 (Completed or Cancelled; InTransit
 * for any other change) | 400.
 */
export type PatchDeliveryRequest = Partial<
  Pick<PutDeliveryRequest, 'dropoff' | 'deadline' | 'pickupTime' | 'pickupEta' | 'dropoffEta'>
>;

/**
 * `GET /internal/v1/deliveries/{deliveryId}` → 200 DeliveryView | 404.
 * `DELETE /internal/v1/deliveries/{deliveryId}` cancels: → 200 DeliveryView (stage Cancelled,
 * also when it already was) | 404 (and the id is kept as a tombstone: a later PUT is 410)
 * | 409 (Completed).
 */
export interface DeliveryView extends PutDeliveryRequest {
  deliveryId: string;
  stage: DeliveryStage;
  lastKnownLocation: GeoPoint | null;
  createdAt: string;
  updatedAt: string;
}

/** Public `GET /api/v1/deliveries/{deliveryId}` (served by delivery) → 200 | 404 | 400. */
export interface DeliveryStatusView {
  deliveryId: string;
  stage: DeliveryStage;
  droneId: string;
  lastKnownLocation: GeoPoint | null;
  pickupEta: string;
  dropoffEta: string;
  updatedAt: string;
}
