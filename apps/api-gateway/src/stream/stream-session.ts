import { type Caller } from '@drone-delivery/http';
import {
  type DeliveryEventFrame,
  type ErrorFrame,
  historyEntryFrame,
  type HistoryEntry,
  type PositionFrame,
  type ServerFrame,
} from './stream-frames';

/** The part of a WebSocket a session uses (the `ws` package's, or a test's fake). */
export interface StreamSocket {
  send(data: string): void;
  /** Bytes queued in the socket, not yet handed to the network. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

/** What the stream needs of the public services, called with the caller's own token. */
export interface DeliveryAccess {
  /** 'ok' when the caller may see the delivery (delivery's status API answers 200). */
  authorize(deliveryId: string, bearer: string): Promise<'ok' | 'not-found' | 'unavailable'>;
  /**
   * The delivery's events after `afterSequence`, in sequence order; [] when delivery-history has
   * none yet.
   */
  history(deliveryId: string, bearer: string, afterSequence: number): Promise<HistoryEntry[]>;
}

export interface StreamLimits {
  /** Deliveries one connection may follow at once. */
  maxSubscriptions: number;
  /** Positions are sent only while less than this is queued in the socket; else they wait. */
  positionHighWaterBytes: number;
  /** A client this far behind on events is disconnected: it resumes from its last sequence. */
  maxBufferedBytes: number;
  /** Live events held for one delivery while a gap is filled from the history. */
  maxHeldEvents: number;
  /** Pause before asking the history again for events it does not have yet. */
  catchUpRetryMs: number;
}

export interface StreamCounters {
  positionsCoalesced(): void;
  slowClientClosed(): void;
}

/** Close codes: 1008 policy (auth), 1011 server error, 1013 try again later (too slow). */
export const CLOSE_TOO_SLOW = 1013;
export const CLOSE_GAP_UNFILLED = 1011;

interface Subscription {
  /** The highest sequence sent: events are sent in order, each once per session. */
  lastSent: number;
  /** A replay or gap-fill from the history is under way; live events wait in `held`. */
  catchingUp: boolean;
  held: DeliveryEventFrame[];
  /** Drones that flew this delivery: their positions are this subscriber's too. */
  retryTimer?: NodeJS.Timeout;
}

/**
 * One client of the live stream. Delivery events are at least once and gap-free: a subscription
 * first replays the history after the client's last sequence, holding live events meanwhile,
 * and a live event that skips a sequence (published before this gateway was listening, or
 * missed) triggers a fill from the history before it is sent. Positions are at most once and
 * latest only: one pending position per drone, overwritten by newer ones, sent while the socket
 * is not backed up; so a slow client costs a bounded map, never a growing queue.
 */
export class StreamSession {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly pendingPositions = new Map<string, PositionFrame>();
  private positionTimer?: NodeJS.Timeout;
  private watchingFleet = false;
  private closed = false;

  constructor(
    private readonly socket: StreamSocket,
    readonly caller: Caller,
    private readonly bearer: string,
    private readonly access: DeliveryAccess,
    private readonly limits: StreamLimits,
    private readonly counters: StreamCounters,
  ) {}

  get subscribedDeliveries(): string[] {
    return [...this.subscriptions.keys()];
  }

  async subscribe(deliveryId: string, afterSequence: number): Promise<void> {
    if (this.subscriptions.has(deliveryId)) this.unsubscribe(deliveryId);
    if (this.subscriptions.size >= this.limits.maxSubscriptions) {
      return this.sendError(
        'too-many-subscriptions',
        `one connection follows at most ${this.limits.maxSubscriptions} deliveries; unsubscribe from one first`,
        deliveryId,
      );
    }
    const subscription: Subscription = { lastSent: afterSequence, catchingUp: true, held: [] };
    this.subscriptions.set(deliveryId, subscription);
    const access = await this.access
      .authorize(deliveryId, this.bearer)
      .catch(() => 'unavailable' as const);
    if (access !== 'ok') {
      this.subscriptions.delete(deliveryId);
      return access === 'not-found'
        ? this.sendError('not-found', `There is no delivery ${deliveryId}.`, deliveryId)
        : this.sendError(
            'unavailable',
            'The delivery could not be looked up; subscribe again shortly.',
            deliveryId,
          );
    }
    await this.catchUp(deliveryId, subscription);
    if (this.subscriptions.get(deliveryId) === subscription) {
      this.send({ type: 'subscribed', deliveryId, lastSequence: subscription.lastSent });
    }
  }

  unsubscribe(deliveryId: string): void {
    clearTimeout(this.subscriptions.get(deliveryId)?.retryTimer);
    this.subscriptions.delete(deliveryId);
  }

  /** Operators only: positions of every drone, not just those of followed deliveries. */
  watchFleet(): void {
    if (!this.caller.operator) {
      return this.sendError('forbidden', 'Only operators may watch the whole fleet.');
    }
    this.watchingFleet = true;
  }

  /** A delivery event from Kafka (this gateway instance sees every one). */
  onDeliveryEvent(frame: DeliveryEventFrame): void {
    const subscription = this.subscriptions.get(frame.deliveryId);
    if (!subscription || frame.sequence <= subscription.lastSent) return;
    if (subscription.catchingUp) {
      this.hold(frame.deliveryId, subscription, frame);
    } else if (frame.sequence === subscription.lastSent + 1) {
      this.sendEvent(subscription, frame);
    } else {
      // A gap: what lies between is in the history (or soon will be).
      this.hold(frame.deliveryId, subscription, frame);
      void this.catchUp(frame.deliveryId, subscription);
    }
  }

  /** A drone's report: kept if the client follows its delivery (or the fleet), latest only. */
  onPosition(frame: PositionFrame, deliveryIdOfDrone: string | null): void {
    const follows =
      this.watchingFleet ||
      (deliveryIdOfDrone !== null && this.subscriptions.has(deliveryIdOfDrone));
    if (!follows) return;
    if (this.pendingPositions.has(frame.droneId)) this.counters.positionsCoalesced();
    this.pendingPositions.set(frame.droneId, frame);
    this.flushPositions();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.positionTimer);
    for (const subscription of this.subscriptions.values()) clearTimeout(subscription.retryTimer);
    this.subscriptions.clear();
    this.pendingPositions.clear();
  }

  private hold(deliveryId: string, subscription: Subscription, frame: DeliveryEventFrame): void {
    subscription.held.push(frame);
    if (subscription.held.length > this.limits.maxHeldEvents) {
      // The history has not caught up for a long while: better a clean resume than a gap.
      this.disconnect(
        CLOSE_GAP_UNFILLED,
        `events of ${deliveryId} could not be completed; resume from your last sequence`,
      );
    }
  }

  /** Sends the history after lastSent, then the held live events that follow on without a gap. */
  private async catchUp(deliveryId: string, subscription: Subscription): Promise<void> {
    subscription.catchingUp = true;
    clearTimeout(subscription.retryTimer);
    let entries: HistoryEntry[] = [];
    try {
      entries = await this.access.history(deliveryId, this.bearer, subscription.lastSent);
    } catch {
      // Retried below, like a history that lags.
    }
    if (this.closed || this.subscriptions.get(deliveryId) !== subscription) return;
    for (const entry of entries) {
      if (entry.sequence === subscription.lastSent + 1) {
        this.sendEvent(subscription, historyEntryFrame(deliveryId, entry));
      }
    }
    subscription.held.sort((a, b) => a.sequence - b.sequence);
    while (
      subscription.held.length > 0 &&
      subscription.held[0].sequence <= subscription.lastSent + 1
    ) {
      const frame = subscription.held.shift() as DeliveryEventFrame;
      if (frame.sequence === subscription.lastSent + 1) this.sendEvent(subscription, frame);
    }
    if (subscription.held.length === 0) {
      subscription.catchingUp = false;
      return;
    }
    // Still a gap before the held events: delivery-history has not recorded them yet.
    subscription.retryTimer = setTimeout(
      () => void this.catchUp(deliveryId, subscription),
      this.limits.catchUpRetryMs,
    );
  }

  private sendEvent(subscription: Subscription, frame: DeliveryEventFrame): void {
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.counters.slowClientClosed();
      return this.disconnect(
        CLOSE_TOO_SLOW,
        'too slow to keep up; reconnect and resume from your last sequence',
      );
    }
    subscription.lastSent = frame.sequence;
    this.send(frame);
  }

  private flushPositions(): void {
    if (this.closed || this.positionTimer || this.pendingPositions.size === 0) return;
    if (this.socket.bufferedAmount >= this.limits.positionHighWaterBytes) {
      // Backed up: keep only the latest per drone and look again shortly.
      this.positionTimer = setTimeout(() => {
        this.positionTimer = undefined;
        this.flushPositions();
      }, 50);
      return;
    }
    for (const frame of this.pendingPositions.values()) this.send(frame);
    this.pendingPositions.clear();
  }

  private sendError(code: ErrorFrame['code'], message: string, deliveryId?: string): void {
    this.send({ type: 'error', code, message, ...(deliveryId && { deliveryId }) });
  }

  private send(frame: ServerFrame): void {
    if (!this.closed) this.socket.send(JSON.stringify(frame));
  }

  private disconnect(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
    this.close();
  }
}
