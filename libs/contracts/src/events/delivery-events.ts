import { type GeoPoint } from '../geo';
import { type ConfirmationType, CONFIRMATION_TYPES } from '../internal-api/deliveries';
import { type CloudEvent, eventParser } from './cloud-event';
import { GEO_POINT_SCHEMA } from './geo.schema';
import { TOPICS } from './topics';

/** The `source` of every delivery event: the delivery service. */
export const DELIVERY_EVENT_SOURCE = '/delivery';

/** CloudEvents `type` of each delivery event, by event name. */
export const DELIVERY_EVENT_TYPES = {
  DeliveryCreated: 'drone-delivery.delivery.DeliveryCreated.v1',
  DeliveryRescheduled: 'drone-delivery.delivery.DeliveryRescheduled.v1',
  DeliveryInTransit: 'drone-delivery.delivery.DeliveryInTransit.v1',
  DeliveryCompleted: 'drone-delivery.delivery.DeliveryCompleted.v1',
  DeliveryCancelled: 'drone-delivery.delivery.DeliveryCancelled.v1',
} as const;
export type DeliveryEventName = keyof typeof DELIVERY_EVENT_TYPES;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[DeliveryEventName];

/** The whole delivery as it was created, so a consumer needs no call back to delivery. */
export interface DeliveryCreatedData {
  deliveryId: string;
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
 * The plan after the change, every field of it, whichever the request touched: a consumer that
 * missed an earlier reschedule still ends up with the current plan.
 */
export interface DeliveryRescheduledData {
  deliveryId: string;
  dropoff: GeoPoint;
  pickupTime?: string;
  deadline?: string;
  pickupEta: string;
  dropoffEta: string;
}

/** Derived from the drone's telemetry: the package is on board and flying to the dropoff. */
export interface DeliveryInTransitData {
  deliveryId: string;
  droneId: string;
  location: GeoPoint;
}

/** Derived from the drone's telemetry: the package has been dropped off. */
export interface DeliveryCompletedData {
  deliveryId: string;
  droneId: string;
  location: GeoPoint;
}

export interface DeliveryCancelledData {
  deliveryId: string;
  droneId: string;
}

export type DeliveryCreatedEvent = CloudEvent<
  (typeof DELIVERY_EVENT_TYPES)['DeliveryCreated'],
  DeliveryCreatedData
>;
export type DeliveryRescheduledEvent = CloudEvent<
  (typeof DELIVERY_EVENT_TYPES)['DeliveryRescheduled'],
  DeliveryRescheduledData
>;
export type DeliveryInTransitEvent = CloudEvent<
  (typeof DELIVERY_EVENT_TYPES)['DeliveryInTransit'],
  DeliveryInTransitData
>;
export type DeliveryCompletedEvent = CloudEvent<
  (typeof DELIVERY_EVENT_TYPES)['DeliveryCompleted'],
  DeliveryCompletedData
>;
export type DeliveryCancelledEvent = CloudEvent<
  (typeof DELIVERY_EVENT_TYPES)['DeliveryCancelled'],
  DeliveryCancelledData
>;

/** Every message on `delivery.events.v1`; narrow on `type`. */
export type DeliveryEvent =
  | DeliveryCreatedEvent
  | DeliveryRescheduledEvent
  | DeliveryInTransitEvent
  | DeliveryCompletedEvent
  | DeliveryCancelledEvent;

/** The `data` of the event with this name. */
export type DeliveryEventData<TName extends DeliveryEventName> = Extract<
  DeliveryEvent,
  { type: (typeof DELIVERY_EVENT_TYPES)[TName] }
>['data'];

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;

const DELIVERY_CREATED_DATA_SCHEMA = {
  type: 'object',
  required: [
    'deliveryId',
    'accountId',
    'packageId',
    'droneId',
    'pickup',
    'dropoff',
    'expedited',
    'confirmationRequired',
    'pickupEta',
    'dropoffEta',
  ],
  properties: {
    deliveryId: UUID,
    accountId: UUID,
    packageId: UUID,
    droneId: UUID,
    pickup: GEO_POINT_SCHEMA,
    dropoff: GEO_POINT_SCHEMA,
    pickupTime: INSTANT,
    deadline: INSTANT,
    expedited: { type: 'boolean' },
    confirmationRequired: { enum: CONFIRMATION_TYPES },
    pickupEta: INSTANT,
    dropoffEta: INSTANT,
  },
  additionalProperties: false,
} as const;

const DELIVERY_RESCHEDULED_DATA_SCHEMA = {
  type: 'object',
  required: ['deliveryId', 'dropoff', 'pickupEta', 'dropoffEta'],
  properties: {
    deliveryId: UUID,
    dropoff: GEO_POINT_SCHEMA,
    pickupTime: INSTANT,
    deadline: INSTANT,
    pickupEta: INSTANT,
    dropoffEta: INSTANT,
  },
  additionalProperties: false,
} as const;

const DELIVERY_LOCATED_DATA_SCHEMA = {
  type: 'object',
  required: ['deliveryId', 'droneId', 'location'],
  properties: { deliveryId: UUID, droneId: UUID, location: GEO_POINT_SCHEMA },
  additionalProperties: false,
} as const;

const DELIVERY_CANCELLED_DATA_SCHEMA = {
  type: 'object',
  required: ['deliveryId', 'droneId'],
  properties: { deliveryId: UUID, droneId: UUID },
  additionalProperties: false,
} as const;

/** JSON Schema of each delivery event's `data`, by CloudEvents type. */
export const DELIVERY_EVENT_DATA_SCHEMAS: Record<DeliveryEventType, object> = {
  [DELIVERY_EVENT_TYPES.DeliveryCreated]: DELIVERY_CREATED_DATA_SCHEMA,
  [DELIVERY_EVENT_TYPES.DeliveryRescheduled]: DELIVERY_RESCHEDULED_DATA_SCHEMA,
  [DELIVERY_EVENT_TYPES.DeliveryInTransit]: DELIVERY_LOCATED_DATA_SCHEMA,
  [DELIVERY_EVENT_TYPES.DeliveryCompleted]: DELIVERY_LOCATED_DATA_SCHEMA,
  [DELIVERY_EVENT_TYPES.DeliveryCancelled]: DELIVERY_CANCELLED_DATA_SCHEMA,
};

/** Checks a message of `delivery.events.v1`: envelope, type, and data; throws saying why not. */
export const parseDeliveryEvent = eventParser<DeliveryEvent>(
  TOPICS.deliveryEvents.name,
  DELIVERY_EVENT_DATA_SCHEMAS,
);
