import {
  DRONE_TELEMETRY_REPORTED,
  parseDroneTelemetry,
  type DroneTelemetryEvent,
} from './drone-telemetry';
import { EventValidationError } from './cloud-event';

const valid: DroneTelemetryEvent = {
  specversion: '1.0',
  id: '0192f0c4-5a1b-7c3d-8e4f-123456789abc',
  source: '/drone-management',
  type: DRONE_TELEMETRY_REPORTED,
  subject: '5d6c7a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f',
  time: '2026-11-22T10:00:00.000Z',
  datacontenttype: 'application/json',
  sequence: 42,
  data: {
    droneId: '5d6c7a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f',
    deliveryId: null,
    state: 'idle',
    location: { lat: 47.6, lng: -122.3 },
    batteryPercent: 88,
  },
};

describe('parseDroneTelemetry', () => {
  it('takes the delivery a drone back home completed', () => {
    const idle = { ...valid, data: { ...valid.data, completedDeliveryId: valid.id } };
    expect(parseDroneTelemetry(idle)).toEqual(idle);
  });

  it('accepts a valid report, as an object or as JSON text', () => {
    expect(parseDroneTelemetry(valid)).toEqual(valid);
    expect(parseDroneTelemetry(JSON.stringify(valid))).toEqual(valid);
    expect(parseDroneTelemetry(Buffer.from(JSON.stringify(valid)))).toEqual(valid);
  });

  it.each([
    ['text that is not JSON', '{"id": ', /not JSON/],
    ['a message without envelope', { droneId: 'x' }, /not a CloudEvent/],
    [
      'an unknown event type',
      { ...valid, type: 'drone-delivery.drone.Exploded.v1' },
      /no events of type/,
    ],
    [
      'a state the contract lacks',
      { ...valid, data: { ...valid.data, state: 'hovering' } },
      /\/state/,
    ],
    [
      'a latitude out of range',
      { ...valid, data: { ...valid.data, location: { lat: 91, lng: 0 } } },
      /\/location\/lat/,
    ],
    ['an extra data field', { ...valid, data: { ...valid.data, altitude: 120 } }, /additional/],
    // Values a consumer could not store or compute with (found by the Kafka fuzz tests).
    ['a leap second', { ...valid, time: '2026-06-30T23:59:60Z' }, /\/time/],
    [
      'a URN as a uuid',
      { ...valid, data: { ...valid.data, deliveryId: `urn:uuid:${valid.id}` } },
      /\/deliveryId/,
    ],
    ['a NUL in the id', { ...valid, id: 'a\u0000b' }, /\/id/],
    ['a sequence beyond 2^53', { ...valid, sequence: 2 ** 53 }, /\/sequence/],
  ])('rejects %s, saying why', (_, message, reason) => {
    expect(() => parseDroneTelemetry(message)).toThrow(EventValidationError);
    expect(() => parseDroneTelemetry(message)).toThrow(reason);
  });
});
