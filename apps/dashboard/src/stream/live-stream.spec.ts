import { LiveStore } from './live-store';
import { LiveStream, type SocketLike, type StreamStatus } from './live-stream';
import { type DeliveryEventFrame, type ServerFrame } from './stream-frames';

const DELIVERY = '0193a8b0-0000-7000-8000-000000000001';

/** A WebSocket the test drives: it records what the page sends. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;

  constructor(readonly protocols: string[]) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

const eventFrame = (sequence: number): DeliveryEventFrame => ({
  type: 'delivery-event',
  deliveryId: DELIVERY,
  eventId: `event-${sequence}`,
  eventType: sequence === 1 ? 'DeliveryCreated' : 'DeliveryRescheduled',
  sequence,
  occurredAt: new Date(Date.UTC(2026, 11, 6, 12, 0, sequence)).toISOString(),
  data: {},
});

function setUp(tokens: string[] = ['token-1']) {
  const sockets: FakeSocket[] = [];
  const timers: { callback: () => void; delayMs: number }[] = [];
  const statuses: StreamStatus[] = [];
  const store = new LiveStore((notify) => notify());
  const issued = [...tokens];
  let renewals = 0;
  const stream = new LiveStream({
    url: 'ws://gateway/api/v1/stream',
    token: () => Promise.resolve(issued[0]),
    renewToken: () => {
      renewals += 1;
      issued.shift();
      return Promise.resolve(issued[0]);
    },
    resumeAfter: (deliveryId) => store.resumeAfter(deliveryId),
    onFrame: (frame) => store.onFrame(frame),
    onStatus: (status) => {
      statuses.push(status);
      store.setStatus(status);
    },
    createSocket: (_url, protocols) => {
      const socket = new FakeSocket(protocols);
      sockets.push(socket);
      return socket;
    },
    schedule: (callback, delayMs) => {
      const timer = { callback, delayMs };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
    delayMs: (attempt) => 1_000 * 2 ** attempt,
  });
  /** Resolves once the stream has opened its next socket (the token is awaited first). */
  const nextSocket = async (count: number) => {
    for (let turn = 0; turn < 10 && sockets.length < count; turn++) await Promise.resolve();
    const socket = sockets[count - 1];
    if (!socket) throw new Error(`socket ${count} was not opened`);
    return socket;
  };
  return {
    sockets,
    timers,
    statuses,
    store,
    stream,
    nextSocket,
    renewals: () => renewals,
  };
}

const sequences = (store: LiveStore) => store.timeline(DELIVERY).map((event) => event.sequence);

describe('LiveStream', () => {
  it('subscribes after the history the page already holds', async () => {
    const { store, stream, nextSocket } = setUp();
    store.addHistory(DELIVERY, [1, 2].map(eventFrame).map(asEntry));
    stream.follow(DELIVERY);
    stream.start();
    const socket = await nextSocket(1);
    expect(socket.protocols).toEqual(['drone-delivery.stream.v1', 'bearer.token-1']);
    socket.open();
    expect(socket.sent).toEqual([{ type: 'subscribe', deliveryId: DELIVERY, afterSequence: 2 }]);
  });

  it('says reconnecting when the connection drops, and resumes without a gap or a duplicate', async () => {
    const { store, stream, nextSocket, timers, statuses } = setUp();
    stream.follow(DELIVERY);
    stream.start();
    const first = await nextSocket(1);
    first.open();
    first.receive(eventFrame(1));
    first.receive(eventFrame(2));
    first.receive(eventFrame(3));
    first.drop();

    expect(store.streamStatus).toBe('reconnecting');
    expect(timers.map((timer) => timer.delayMs)).toEqual([1_000]);
    timers.shift()?.callback();
    const second = await nextSocket(2);
    second.open();
    expect(second.sent).toEqual([{ type: 'subscribe', deliveryId: DELIVERY, afterSequence: 3 }]);
    // The gateway's replay overlaps what the page has (at least once): 3 again, then 4 and 5.
    second.receive(eventFrame(3));
    second.receive(eventFrame(4));
    second.receive(eventFrame(5));

    expect(sequences(store)).toEqual([1, 2, 3, 4, 5]);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'live']);
  });

  it('backs off further while the gateway stays away, and afresh once data flows', async () => {
    const { stream, nextSocket, timers } = setUp();
    stream.start();
    (await nextSocket(1)).drop();
    timers.shift()?.callback();
    (await nextSocket(2)).drop();
    timers.shift()?.callback();
    const third = await nextSocket(3);
    expect(timers).toEqual([]);
    third.open();
    third.receive({ type: 'subscribed', deliveryId: DELIVERY, lastSequence: 0 });
    third.drop();
    timers.shift()?.callback();
    (await nextSocket(4)).drop();
    expect(timers.map((timer) => timer.delayMs)).toEqual([2_000]);
  });

  it('resumes from before a hole rather than after it', async () => {
    const { store, stream, nextSocket, timers } = setUp();
    store.addHistory(DELIVERY, [1, 2, 4].map(eventFrame).map(asEntry));
    stream.follow(DELIVERY);
    stream.start();
    (await nextSocket(1)).drop();
    timers.shift()?.callback();
    const second = await nextSocket(2);
    second.open();
    expect(second.sent).toEqual([{ type: 'subscribe', deliveryId: DELIVERY, afterSequence: 2 }]);
    second.receive(eventFrame(3));
    second.receive(eventFrame(4));
    expect(sequences(store)).toEqual([1, 2, 3, 4]);
  });

  it('reconnects at once with a renewed token when the gateway closes for expiry', async () => {
    const { stream, nextSocket, timers, renewals } = setUp(['old-token', 'new-token']);
    stream.follow(DELIVERY);
    stream.start();
    const first = await nextSocket(1);
    first.open();
    first.drop(4401);
    const second = await nextSocket(2);
    expect(renewals()).toBe(1);
    expect(timers).toEqual([]);
    expect(second.protocols).toContain('bearer.new-token');
  });

  it('watches the fleet again after a reconnect, and stops for good when stopped', async () => {
    const { stream, nextSocket, timers, statuses } = setUp();
    stream.watchFleet();
    stream.start();
    const first = await nextSocket(1);
    first.open();
    expect(first.sent).toEqual([{ type: 'watch-fleet' }]);
    first.drop();
    timers.shift()?.callback();
    const second = await nextSocket(2);
    second.open();
    expect(second.sent).toEqual([{ type: 'watch-fleet' }]);
    stream.stop();
    second.drop();
    expect(timers).toEqual([]);
    expect(statuses.at(-1)).toBe('idle');
  });

  it('asks again for a delivery the gateway could not look up, and stops asking once unfollowed', async () => {
    const { stream, nextSocket, timers } = setUp();
    stream.follow(DELIVERY);
    stream.start();
    const socket = await nextSocket(1);
    socket.open();
    socket.receive({
      type: 'error',
      code: 'unavailable',
      message: 'The delivery could not be looked up; subscribe again shortly.',
      deliveryId: DELIVERY,
    });
    timers.shift()?.callback();
    expect(socket.sent.map((message) => message.type)).toEqual(['subscribe', 'subscribe']);
    socket.receive({ type: 'error', code: 'unavailable', message: 'again', deliveryId: DELIVERY });
    stream.unfollow(DELIVERY);
    timers.shift()?.callback();
    expect(socket.sent.map((message) => message.type)).toEqual([
      'subscribe',
      'subscribe',
      'unsubscribe',
    ]);
  });
});

function asEntry(frame: DeliveryEventFrame) {
  return {
    eventId: frame.eventId,
    type: frame.eventType,
    sequence: frame.sequence,
    occurredAt: frame.occurredAt,
    data: frame.data,
  };
}
