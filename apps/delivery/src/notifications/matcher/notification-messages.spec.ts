import { DELIVERY_EVENT_TYPES, type DeliveryEvent } from '@drone-delivery/contracts';
import { deliveryEventName, notificationMessage } from './notification-messages';

const DELIVERY_ID = '0192f0c4-5a1b-7c3d-8e4f-123456789abc';
const DRONE_ID = '5d6c7a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f';
const HERE = { lat: 47.62, lng: -122.35 };

function event(type: DeliveryEvent['type'], data: object): DeliveryEvent {
  return {
    specversion: '1.0',
    id: '0192f0c4-0000-7c3d-8e4f-123456789abc',
    source: '/delivery',
    type,
    subject: DELIVERY_ID,
    time: '2026-11-22T10:00:00.000Z',
    datacontenttype: 'application/json',
    sequence: 2,
    data: { deliveryId: DELIVERY_ID, ...data },
  } as DeliveryEvent;
}

describe('notificationMessage', () => {
  it.each([
    [
      event(DELIVERY_EVENT_TYPES.DeliveryCreated, {
        pickupEta: '2026-11-22T10:20:00.000Z',
        dropoffEta: '2026-11-22T10:45:30.000Z',
      }),
      'DeliveryCreated',
      'Your delivery is scheduled',
      `Delivery ${DELIVERY_ID} is scheduled: pickup around 2026-11-22 10:20 UTC, drop-off around 2026-11-22 10:45 UTC.`,
    ],
    [
      event(DELIVERY_EVENT_TYPES.DeliveryRescheduled, {
        dropoff: HERE,
        pickupEta: '2026-11-22T10:20:00.000Z',
        dropoffEta: '2026-11-22T11:05:00.000Z',
      }),
      'DeliveryRescheduled',
      'Your delivery has been rescheduled',
      `Delivery ${DELIVERY_ID} has a new plan: drop-off around 2026-11-22 11:05 UTC.`,
    ],
    [
      event(DELIVERY_EVENT_TYPES.DeliveryInTransit, { droneId: DRONE_ID, location: HERE }),
      'DeliveryInTransit',
      'Your delivery is on its way',
      `Delivery ${DELIVERY_ID} has been picked up; the drone is flying it to the drop-off.`,
    ],
    [
      event(DELIVERY_EVENT_TYPES.DeliveryCompleted, { droneId: DRONE_ID, location: HERE }),
      'DeliveryCompleted',
      'Your delivery has arrived',
      `Delivery ${DELIVERY_ID} has been dropped off.`,
    ],
    [
      event(DELIVERY_EVENT_TYPES.DeliveryCancelled, { droneId: DRONE_ID }),
      'DeliveryCancelled',
      'Your delivery has been cancelled',
      `Delivery ${DELIVERY_ID} has been cancelled; it will not be delivered.`,
    ],
  ])('words %#: %s', (deliveryEvent, name, subject, text) => {
    expect(deliveryEventName(deliveryEvent)).toBe(name);
    expect(notificationMessage(deliveryEvent)).toEqual({ subject, text });
  });
});
