import { Logger } from '@nestjs/common';
import { type DroneFlightState, type DroneTelemetryEvent } from '@drone-delivery/contracts';
import { type Producer } from '@drone-delivery/messaging';
import { waitFor } from '@drone-delivery/testing';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { droneTelemetryEvent } from './drone-telemetry-event';
import { TelemetryPublisher } from './telemetry-publisher';

const DRONE_A = '5d6c7a4e-1f2b-4c3d-9e8f-0a1b2c3d4e5f';
const DRONE_B = '6e7d8b5f-2a3c-4d4e-8f9a-1b2c3d4e5f60';
const DELIVERY_ID = '0192f0c4-5a1b-7c3d-8e4f-123456789abc';
const T0 = Date.parse('2030-01-01T12:00:00.000Z');

/** A broker that refuses the first `failures` sends, then takes everything. */
class FlakyBroker {
  readonly received: DroneTelemetryEvent[] = [];
  attempts = 0;

  constructor(private failures: number) {}

  producer(): Producer {
    const send = ({ messages }: { messages: { value: string }[] }) => {
      this.attempts += 1;
      if (this.failures > 0) {
        this.failures -= 1;
        return Promise.reject(new Error('Connection error: broker gone'));
      }
      for (const { value } of messages)
        this.received.push(JSON.parse(value) as DroneTelemetryEvent);
      return Promise.resolve([]);
    };
    const producer = {
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      send,
    };
    return producer as unknown as Producer;
  }
}

class PublisherOn extends TelemetryPublisher {
  constructor(private readonly broker: FlakyBroker) {
    super({ KAFKA_BROKERS: ['unused:9092'] } as DroneManagementConfig);
  }

  protected override createProducer(): Producer {
    return this.broker.producer();
  }
}

/** One drone's reports, each a moment after the last, as the simulator makes them. */
function reporter(droneId: string) {
  let sequence = 0;
  return (state: DroneFlightState, completedDeliveryId?: string) => {
    sequence += 1;
    const moment = new Date(T0 + sequence * 1_000);
    return droneTelemetryEvent({
      droneId,
      sequence,
      flight: {
        state,
        deliveryId: state === 'idle' ? null : DELIVERY_ID,
        location: { lat: 47.6 + sequence / 1_000, lng: -122.33 },
        batteryPercent: 50,
        positionedAt: moment,
        stateSince: moment,
      },
      etas: {},
      completedDeliveryId,
    });
  };
}

const states = (events: DroneTelemetryEvent[]) => events.map((event) => event.data.state);
const sequences = (events: DroneTelemetryEvent[]) => events.map((event) => event.sequence);

/** A broker that never answers a connect until told to refuse it, as kafkajs retrying does. */
class SlowRefusingBroker {
  connects = 0;
  private refuse: (() => void) | undefined;

  producer(): Producer {
    const connect = () => {
      this.connects += 1;
      return new Promise<void>((_, reject) => {
        this.refuse = () => reject(new Error('Connection error: connect ECONNREFUSED'));
      });
    };
    return { connect, disconnect: () => Promise.resolve() } as unknown as Producer;
  }

  refuseConnect(): void {
    this.refuse?.();
  }
}

describe('TelemetryPublisher', () => {
  let publisher: TelemetryPublisher | undefined;

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await publisher?.close(0);
  });

  it('loses no state change while the broker fails for a while, and keeps only the latest position in between', async () => {
    const broker = new FlakyBroker(3);
    publisher = new PublisherOn(broker);
    const a = reporter(DRONE_A);
    const b = reporter(DRONE_B);

    // A whole flight of drone A, tick by tick, while the broker is failing; B only idles about.
    const first = a('flying-to-pickup');
    publisher.publish([first, b('idle')]);
    await waitFor(() => broker.attempts >= 1, { description: 'the first send tried' });
    const flight = [
      a('flying-to-pickup'),
      a('flying-to-pickup'),
      a('loading'),
      a('flying-to-dropoff'),
      a('flying-to-dropoff'),
      a('unloading'),
      a('returning', DELIVERY_ID),
      a('returning', DELIVERY_ID),
      a('charging', DELIVERY_ID),
      a('idle', DELIVERY_ID),
    ];
    for (const report of flight) publisher.publish([report, b('idle')]);

    const lastOfA = flight[flight.length - 1];
    const received = await waitFor(
      () => {
        const ofA = broker.received.filter((event) => event.subject === DRONE_A);
        return ofA.at(-1)?.id === lastOfA.id && ofA;
      },
      { description: "drone A's last report sent" },
    );

    expect(broker.attempts).toBeGreaterThan(3);
    // The batch that failed went out as it was; after it, one report per state, the latest.
    expect(states(received)).toEqual([
      'flying-to-pickup',
      'flying-to-pickup',
      'loading',
      'flying-to-dropoff',
      'unloading',
      'returning',
      'charging',
      'idle',
    ]);
    expect(sequences(received)).toEqual(
      [first, flight[1], flight[2], flight[4], flight[5], flight[7], flight[8], flight[9]].map(
        (report) => report.sequence,
      ),
    );
    expect(received.at(-1)?.data.completedDeliveryId).toBe(DELIVERY_ID);
    // B said nothing new: its latest position is all that is left of it.
    await waitFor(() => broker.received.filter((event) => event.subject === DRONE_B).length >= 2);
    expect(sequences(broker.received.filter((event) => event.subject === DRONE_B))).toEqual([
      1, 11,
    ]);
    expect(publisher.backlog).toBe(0);
  });

  it('returns from close only once a connect under way has ended, and tries no more after it', async () => {
    const broker = new SlowRefusingBroker();
    const slow = new (class extends TelemetryPublisher {
      constructor() {
        super({ KAFKA_BROKERS: ['unused:9092'] } as DroneManagementConfig);
      }
      protected override createProducer(): Producer {
        return broker.producer();
      }
    })();
    slow.publish([reporter(DRONE_A)('flying-to-pickup')]);
    await waitFor(() => broker.connects === 1, { description: 'the first connect' });

    const closing = slow.close(0);
    // While the connect hangs, close() must not return: kafkajs would go on retrying, and
    // logging, after it.
    const first = await Promise.race([
      closing.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still closing'), 500)),
    ]);
    expect(first).toBe('still closing');

    broker.refuseConnect();
    await closing;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(broker.connects).toBe(1);
  });

  it('sends every report as it comes while the broker takes them', async () => {
    const broker = new FlakyBroker(0);
    publisher = new PublisherOn(broker);
    const a = reporter(DRONE_A);
    const reports = [a('flying-to-pickup'), a('flying-to-pickup'), a('loading')];
    for (const report of reports) {
      publisher.publish([report]);
      await waitFor(() => broker.received.some((event) => event.id === report.id));
    }
    expect(sequences(broker.received)).toEqual([1, 2, 3]);
  });
});
