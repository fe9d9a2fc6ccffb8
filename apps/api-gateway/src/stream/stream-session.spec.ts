/**
 * StreamSession against a fake socket and fake services: the two guarantees side by side.
 * Delivery events: in sequence, each once, no gap, whatever order replay and live arrive in.
 * Positions: latest only while the socket is backed up, and nothing queued beyond one per drone.
 */
import { waitFor } from '@drone-delivery/testing';
import { type Caller } from '@drone-delivery/http';
import {
  type DeliveryEventFrame,
  type HistoryEntry,
  type PositionFrame,
  type ServerFrame,
} from './stream-frames';
import {
  CLOSE_GAP_UNFILLED,
  CLOSE_TOO_SLOW,
  type DeliveryAccess,
  type StreamLimits,
  StreamSession,
} from './stream-session';

const DELIVERY = '0199a000-0000-7000-8000-000000000001';
const OTHER = '0199a000-0000-7000-8000-000000000002';
const DRONE = '0199a000-0000-7000-8000-0000000000d1';

class FakeSocket {
  bufferedAmount = 0;
  readonly frames: ServerFrame[] = [];
  closedWith?: { code: number; reason: string };
  send(data: string): void {
    this.frames.push(JSON.parse(data) as ServerFrame);
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }
  sequences(deliveryId = DELIVERY): number[] {
    return this.frames
      .filter(
        (frame): frame is DeliveryEventFrame =>
          frame.type === 'delivery-event' && frame.deliveryId === deliveryId,
      )
      .map((frame) => frame.sequence);
  }
  positions(): PositionFrame[] {
    return this.frames.filter((frame): frame is PositionFrame => frame.type === 'position');
  }
}

class FakeServices implements DeliveryAccess {
  readonly histories = new Map<string, HistoryEntry[]>();
  owned = new Set([DELIVERY]);
  authorize(deliveryId: string): Promise<'ok' | 'not-found' | 'unavailable'> {
    return Promise.resolve(this.owned.has(deliveryId) ? 'ok' : 'not-found');
  }
  readonly historyReads: number[] = [];
  history(deliveryId: string, _bearer: string, afterSequence: number): Promise<HistoryEntry[]> {
    this.historyReads.push(afterSequence);
    return Promise.resolve(
      (this.histories.get(deliveryId) ?? []).filter((entry) => entry.sequence > afterSequence),
    );
  }
  record(deliveryId: string, ...sequences: number[]): void {
    const entries = this.histories.get(deliveryId) ?? [];
    entries.push(...sequences.map((sequence) => entry(sequence)));
    this.histories.set(
      deliveryId,
      entries.sort((a, b) => a.sequence - b.sequence),
    );
  }
}

const entry = (sequence: number): HistoryEntry => ({
  eventId: `event-${sequence}`,
  type: sequence === 1 ? 'DeliveryCreated' : 'DeliveryInTransit',
  sequence,
  occurredAt: new Date(1_000 * sequence).toISOString(),
  data: { deliveryId: DELIVERY },
});

const live = (sequence: number, deliveryId = DELIVERY): DeliveryEventFrame => ({
  type: 'delivery-event',
  deliveryId,
  eventId: `event-${sequence}`,
  eventType: 'DeliveryInTransit',
  sequence,
  occurredAt: new Date(1_000 * sequence).toISOString(),
  data: { deliveryId },
});

const position = (n: number, droneId = DRONE): PositionFrame => ({
  type: 'position',
  droneId,
  deliveryId: DELIVERY,
  state: 'flying-to-dropoff',
  location: { lat: 47 + n / 1_000, lng: -122 },
  batteryPercent: 90,
  reportedAt: new Date(n).toISOString(),
});

const CUSTOMER: Caller = {
  subject: 'contoso-pharmacy',
  accountId: '11111111-1111-4111-8111-111111111111',
  operator: false,
  scopes: ['customer'],
  expiresAt: new Date(Date.now() + 300_000),
};

const LIMITS: StreamLimits = {
  maxSubscriptions: 3,
  positionHighWaterBytes: 1_000,
  maxBufferedBytes: 100_000,
  maxHeldEvents: 50,
  catchUpRetryMs: 10,
};

describe('StreamSession', () => {
  let socket: FakeSocket;
  let services: FakeServices;
  let coalesced: number;
  let slowClosed: number;
  let session: StreamSession;

  beforeEach(() => {
    socket = new FakeSocket();
    services = new FakeServices();
    coalesced = 0;
    slowClosed = 0;
    session = new StreamSession(socket, CUSTOMER, 'token', services, LIMITS, {
      positionsCoalesced: () => (coalesced += 1),
      slowClientClosed: () => (slowClosed += 1),
    });
  });
  afterEach(() => session.close());

  it('replays the history after the last sequence the client has, then says subscribed', async () => {
    services.record(DELIVERY, 1, 2, 3, 4);

    await session.subscribe(DELIVERY, 2);

    expect(socket.sequences()).toEqual([3, 4]);
    expect(socket.frames.at(-1)).toEqual({
      type: 'subscribed',
      deliveryId: DELIVERY,
      lastSequence: 4,
    });
  });

  it('holds live events during the replay and sends each once, in order, after it', async () => {
    services.record(DELIVERY, 1, 2);
    const subscribing = session.subscribe(DELIVERY, 0);
    // Live while the replay is under way: a duplicate of the history (2) and the next one (3).
    session.onDeliveryEvent(live(2));
    session.onDeliveryEvent(live(3));
    await subscribing;
    session.onDeliveryEvent(live(3));
    session.onDeliveryEvent(live(4));

    expect(socket.sequences()).toEqual([1, 2, 3, 4]);
  });

  it('fills a gap from the history before sending the live event after it', async () => {
    services.record(DELIVERY, 1);
    await session.subscribe(DELIVERY, 0);

    // 2 was published before this gateway listened, and delivery-history has not recorded it yet.
    session.onDeliveryEvent(live(3));
    expect(socket.sequences()).toEqual([1]);

    services.record(DELIVERY, 2, 3);
    await waitFor(() => socket.sequences().length === 3, {
      timeoutMs: 2_000,
      description: 'the gap filled',
    });
    session.onDeliveryEvent(live(4));
    expect(socket.sequences()).toEqual([1, 2, 3, 4]);
  });

  it('closes the connection rather than leave a gap it cannot fill', async () => {
    await session.subscribe(DELIVERY, 0);
    for (let sequence = 2; sequence <= LIMITS.maxHeldEvents + 2; sequence++)
      session.onDeliveryEvent(live(sequence));

    expect(socket.closedWith?.code).toBe(CLOSE_GAP_UNFILLED);
    expect(socket.sequences()).toEqual([]);
  });

  it("refuses another account's delivery as unknown and streams nothing of it", async () => {
    await session.subscribe(OTHER, 0);
    session.onDeliveryEvent(live(1, OTHER));
    session.onPosition({ ...position(1), deliveryId: OTHER }, OTHER);

    expect(socket.frames).toEqual([
      {
        type: 'error',
        code: 'not-found',
        message: `There is no delivery ${OTHER}.`,
        deliveryId: OTHER,
      },
    ]);
  });

  it('sends positions at once while the socket keeps up', async () => {
    await session.subscribe(DELIVERY, 0);
    session.onPosition(position(1), DELIVERY);
    session.onPosition(position(2), DELIVERY);

    expect(socket.positions().map((frame) => frame.reportedAt)).toEqual([
      position(1).reportedAt,
      position(2).reportedAt,
    ]);
    expect(coalesced).toBe(0);
  });

  it('keeps only the latest position per drone while the socket is backed up', async () => {
    await session.subscribe(DELIVERY, 0);
    socket.bufferedAmount = LIMITS.positionHighWaterBytes;
    for (let n = 1; n <= 1_000; n++) session.onPosition(position(n), DELIVERY);
    session.onPosition(position(7, 'other-drone'), DELIVERY);
    expect(socket.positions()).toEqual([]);

    socket.bufferedAmount = 0;
    await waitFor(() => socket.positions().length > 0, {
      timeoutMs: 2_000,
      description: 'positions sent',
    });

    expect(socket.positions()).toEqual([position(1_000), position(7, 'other-drone')]);
    expect(coalesced).toBe(999);
  });

  it('sends no positions of drones flying deliveries it does not follow', async () => {
    await session.subscribe(DELIVERY, 0);
    session.onPosition({ ...position(1), deliveryId: OTHER }, OTHER);
    session.onPosition({ ...position(2), deliveryId: null }, null);
    expect(socket.positions()).toEqual([]);
  });

  it('disconnects a client too far behind on events, so it resumes instead of growing a queue', async () => {
    await session.subscribe(DELIVERY, 0);
    socket.bufferedAmount = LIMITS.maxBufferedBytes + 1;
    session.onDeliveryEvent(live(1));

    expect(socket.closedWith?.code).toBe(CLOSE_TOO_SLOW);
    expect(slowClosed).toBe(1);
    expect(socket.sequences()).toEqual([]);
  });

  it('follows at most maxSubscriptions deliveries, and lets only operators watch the fleet', async () => {
    for (let n = 1; n <= LIMITS.maxSubscriptions + 1; n++) {
      const id = `0199a000-0000-7000-8000-00000000010${n}`;
      services.owned.add(id);
      await session.subscribe(id, 0);
    }
    session.watchFleet();

    expect(
      socket.frames
        .filter((frame) => frame.type === 'error')
        .map((frame) => (frame as { code: string }).code),
    ).toEqual(['too-many-subscriptions', 'forbidden']);
    expect(session.subscribedDeliveries).toHaveLength(LIMITS.maxSubscriptions);
  });
});
