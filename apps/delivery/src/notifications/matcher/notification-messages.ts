import {
  DELIVERY_EVENT_TYPES,
  type DeliveryEvent,
  type DeliveryEventName,
} from '@drone-delivery/contracts';

/** What a subscriber reads about one delivery event, in every channel. */
export interface NotificationMessage {
  subject: string;
  text: string;
}

const EVENT_NAMES = new Map<string, DeliveryEventName>(
  Object.entries(DELIVERY_EVENT_TYPES).map(([name, type]) => [type, name as DeliveryEventName]),
);

/** `DeliveryRescheduled` for `drone-delivery.delivery.DeliveryRescheduled.v1`. */
export function deliveryEventName(event: DeliveryEvent): DeliveryEventName {
  const name = EVENT_NAMES.get(event.type);
  if (name === undefined) throw new Error(`unknown delivery event type ${event.type}`);
  return name;
}

/** `2026-11-22 10:20 UTC`: readable in a text message, unambiguous for any reader. */
function readableTime(instant: string): string {
  return `${new Date(instant).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The subject and text of the notification about `event`, by event type. */
export function notificationMessage(event: DeliveryEvent): NotificationMessage {
  const delivery = `Delivery ${event.data.deliveryId}`;
  switch (event.type) {
    case DELIVERY_EVENT_TYPES.DeliveryCreated:
      return {
        subject: 'Your delivery is scheduled',
        text:
          `${delivery} is scheduled: pickup around ${readableTime(event.data.pickupEta)}, ` +
          `drop-off around ${readableTime(event.data.dropoffEta)}.`,
      };
    case DELIVERY_EVENT_TYPES.DeliveryRescheduled:
      return {
        subject: 'Your delivery has been rescheduled',
        text: `${delivery} has a new plan: drop-off around ${readableTime(event.data.dropoffEta)}.`,
      };
    case DELIVERY_EVENT_TYPES.DeliveryInTransit:
      return {
        subject: 'Your delivery is on its way',
        text: `${delivery} has been picked up; the drone is flying it to the drop-off.`,
      };
    case DELIVERY_EVENT_TYPES.DeliveryCompleted:
      return {
        subject: 'Your delivery has arrived',
        text: `${delivery} has been dropped off.`,
      };
    case DELIVERY_EVENT_TYPES.DeliveryCancelled:
      return {
        subject: 'Your delivery has been cancelled',
        text: `${delivery} has been cancelled; it will not be delivered.`,
      };
  }
}
