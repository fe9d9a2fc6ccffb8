import { version as uuidVersion } from 'uuid';
import {
  EventValidationError,
  parseDeliveryEvent,
  type DeliveryCancelledEvent,
} from '@drone-delivery/contracts';
import { deliveryEventEnvelope } from './delivery-event-envelope';

const DELIVERY_ID = '0192f0c4-5a1b-7c3d-8e4f-123456789abc';
const DRONE_ID = '5d6c7a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f';
const TIME = new Date('2026-11-22T10:00:00.000Z');

describe('deliveryEventEnvelope', () => {
  it('wraps the data in a CloudEvents 1.0 envelope that the topic parser accepts', () => {
    const event = deliveryEventEnvelope({
      name: 'DeliveryCancelled',
      deliveryId: DELIVERY_ID,
      sequence: 3,
      time: TIME,
      data: { deliveryId: DELIVERY_ID, droneId: DRONE_ID },
      correlationId: 'req-42',
    });

    expect(event).toEqual<DeliveryCancelledEvent>({
      specversion: '1.0',
      id: expect.any(String) as string,
      source: '/delivery',
      type: 'drone-delivery.delivery.DeliveryCancelled.v1',
      subject: DELIVERY_ID,
      time: '2026-11-22T10:00:00.000Z',
      datacontenttype: 'application/json',
      sequence: 3,
      correlationid: 'req-42',
      data: { deliveryId: DELIVERY_ID, droneId: DRONE_ID },
    });
    expect(uuidVersion(event.id)).toBe(7);
    expect(parseDeliveryEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('gives every event its own id and leaves out a missing correlation id', () => {
    const facts = {
      name: 'DeliveryCancelled' as const,
      deliveryId: DELIVERY_ID,
      sequence: 2,
      time: TIME,
      data: { deliveryId: DELIVERY_ID, droneId: DRONE_ID },
    };
    const first = deliveryEventEnvelope(facts);
    const second = deliveryEventEnvelope(facts);

    expect(first.id).not.toBe(second.id);
    expect(first).not.toHaveProperty('correlationid');
  });

  it('produces events the parser rejects when their data breaks the schema', () => {
    const broken = deliveryEventEnvelope({
      name: 'DeliveryRescheduled',
      deliveryId: DELIVERY_ID,
      sequence: 2,
      time: TIME,
      // A bug of this kind must fail the request rather than reach consumers.
      data: {
        deliveryId: DELIVERY_ID,
        dropoff: { lat: 95, lng: 0 },
        pickupEta: 'soon',
        dropoffEta: TIME.toISOString(),
      },
    });

    expect(() => parseDeliveryEvent(broken)).toThrow(EventValidationError);
    expect(() => parseDeliveryEvent(broken)).toThrow(/\/dropoff\/lat.*\/pickupEta/);
  });
});
