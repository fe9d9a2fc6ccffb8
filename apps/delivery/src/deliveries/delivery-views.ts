import {
  type DeliveryCreatedData,
  type DeliveryRescheduledData,
  type DeliveryStatusView,
  type DeliveryView,
  type GeoPoint,
} from '@drone-delivery/contracts';
import { type Delivery } from './delivery.entity';

/** The internal view (`GET /internal/v1/deliveries/{id}`); absent optional times are left out. */
export function toDeliveryView(delivery: Delivery): DeliveryView {
  return {
    deliveryId: delivery.id,
    ...creationFields(delivery),
    stage: delivery.stage,
    lastKnownLocation: lastKnownLocation(delivery),
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}

/** The public status (`GET /api/v1/deliveries/{id}`): no account, package or plan details. */
export function toDeliveryStatusView(delivery: Delivery): DeliveryStatusView {
  return {
    deliveryId: delivery.id,
    stage: delivery.stage,
    droneId: delivery.droneId,
    lastKnownLocation: lastKnownLocation(delivery),
    pickupEta: delivery.pickupEta.toISOString(),
    dropoffEta: delivery.dropoffEta.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}

export function deliveryCreatedData(delivery: Delivery): DeliveryCreatedData {
  return { deliveryId: delivery.id, ...creationFields(delivery) };
}

export function deliveryRescheduledData(delivery: Delivery): DeliveryRescheduledData {
  return {
    deliveryId: delivery.id,
    dropoff: { lat: delivery.dropoffLat, lng: delivery.dropoffLng },
    ...optionalTimes(delivery),
    pickupEta: delivery.pickupEta.toISOString(),
    dropoffEta: delivery.dropoffEta.toISOString(),
  };
}

/** What a PUT sets, normalised (ISO instants, lower-case ids): equal values mean the same PUT. */
export function creationFields(delivery: Delivery): Omit<DeliveryCreatedData, 'deliveryId'> {
  return {
    accountId: delivery.accountId,
    packageId: delivery.packageId,
    droneId: delivery.droneId,
    pickup: { lat: delivery.pickupLat, lng: delivery.pickupLng },
    dropoff: { lat: delivery.dropoffLat, lng: delivery.dropoffLng },
    ...optionalTimes(delivery),
    expedited: delivery.expedited,
    confirmationRequired: delivery.confirmationRequired,
    pickupEta: delivery.pickupEta.toISOString(),
    dropoffEta: delivery.dropoffEta.toISOString(),
  };
}

function optionalTimes(delivery: Delivery): { pickupTime?: string; deadline?: string } {
  return {
    ...(delivery.pickupTime && { pickupTime: delivery.pickupTime.toISOString() }),
    ...(delivery.deadline && { deadline: delivery.deadline.toISOString() }),
  };
}

function lastKnownLocation(delivery: Delivery): GeoPoint | null {
  return delivery.lastKnownLat === null || delivery.lastKnownLng === null
    ? null
    : { lat: delivery.lastKnownLat, lng: delivery.lastKnownLng };
}
