import { DRONE_TELEMETRY_REPORTED, parseDroneTelemetry } from '@drone-delivery/contracts';
import { droneTelemetryEvent } from './drone-telemetry-event';
import { type Flight } from './flight-step';

const DRONE_ID = '5d6c7a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f';
const DELIVERY_ID = '0192f0c4-5a1b-7c3d-8e4f-123456789abc';
const flight: Flight = {
  state: 'flying-to-pickup',
  deliveryId: DELIVERY_ID,
  location: { lat: 47.61, lng: -122.33 },
  batteryPercent: 87.6543,
  positionedAt: new Date('2030-01-01T12:00:05.000Z'),
  stateSince: new Date('2030-01-01T12:00:00.000Z'),
};

describe('droneTelemetryEvent', () => {
  it('is a telemetry report the contract accepts, about the drone, at the flight’s moment', () => {
    const event = droneTelemetryEvent({
      droneId: DRONE_ID,
      sequence: 7,
      flight,
      etas: {
        pickupEta: new Date('2030-01-01T12:06:00.000Z'),
        dropoffEta: new Date('2030-01-01T12:19:00.000Z'),
      },
    });
    expect(parseDroneTelemetry(event)).toEqual(event);
    expect(event).toMatchObject({
      type: DRONE_TELEMETRY_REPORTED,
      source: '/drone-management',
      subject: DRONE_ID,
      sequence: 7,
      time: '2030-01-01T12:00:05.000Z',
      data: {
        droneId: DRONE_ID,
        deliveryId: DELIVERY_ID,
        state: 'flying-to-pickup',
        location: { lat: 47.61, lng: -122.33 },
        batteryPercent: 87.7,
        pickupEta: '2030-01-01T12:06:00.000Z',
        dropoffEta: '2030-01-01T12:19:00.000Z',
      },
    });
  });

  it('leaves out unknown ETAs and gives every report its own id', () => {
    const idle = { ...flight, state: 'idle' as const, deliveryId: null };
    const first = droneTelemetryEvent({ droneId: DRONE_ID, sequence: 1, flight: idle, etas: {} });
    const second = droneTelemetryEvent({ droneId: DRONE_ID, sequence: 2, flight: idle, etas: {} });
    expect(parseDroneTelemetry(first).data).toEqual({
      droneId: DRONE_ID,
      deliveryId: null,
      state: 'idle',
      location: flight.location,
      batteryPercent: 87.7,
    });
    expect(first.id).not.toBe(second.id);
  });
});
