// The shapes the dashboard reads and sends. Types only: importing values from the contracts
// library would bundle its validators (ajv) into the page.
import type {
  DeliveryEventName,
  DeliveryStage,
  DroneFlightState,
  FlownDrone,
  GeoPoint,
  PackageSize,
} from '@drone-delivery/contracts';

export type { DeliveryEventName, DeliveryStage, DroneFlightState, GeoPoint, PackageSize };
export type {
  CircuitBreakerStateName as BreakerState,
  DeadLetterItem as DeadLetter,
  DeadLetterPage,
  DeliveryStatusView,
  MessagingOverview as MessagingHealth,
  NotificationSubscriptionRequest,
  RedriveOutcome as RedriveResult,
  ServiceAreaView as ServiceArea,
  ServicesOverview as ServicesHealth,
  ServiceStatus,
} from '@drone-delivery/contracts';

/** One item of GET /api/v1/delivery-history (newest first). */
export interface DeliverySummary {
  deliveryId: string;
  accountId: string;
  stage: DeliveryStage;
  createdAt: string;
  updatedAt: string;
}

export interface DeliverySearchPage {
  items: DeliverySummary[];
  nextCursor: string | null;
}

/** One entry of GET /api/v1/deliveries/{id}/history; the stream's delivery-event frames match. */
export interface HistoryEntry {
  eventId: string;
  type: DeliveryEventName;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** POST /api/v1/deliveries */
export interface ScheduleDeliveryRequest {
  accountId?: string;
  pickup: GeoPoint;
  dropoff: GeoPoint;
  pickupTime?: string;
  deadline?: string;
  expedited?: boolean;
  package: { size: PackageSize; weightKg: number; tag?: string };
}

export interface ScheduledDelivery {
  deliveryId: string;
  packageId: string;
  droneId: string;
  stage: 'Created';
  pickupEta: string;
  dropoffEta: string;
}

/** PATCH /api/v1/deliveries/{id}: at least one field. */
export interface RescheduleRequest {
  dropoff?: GeoPoint;
  pickupTime?: string;
  deadline?: string;
}

/** GET /api/v1/fleet (operators) */
export interface FleetSnapshot {
  requestId: string;
  instances: { instanceId: string; drones: number }[];
  drones: (FlownDrone & { instanceId: string })[];
  waitedMs: number;
}
