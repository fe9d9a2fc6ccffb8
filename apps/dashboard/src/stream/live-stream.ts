import { reconnectDelayMs } from './backoff';
import {
  CLOSE_TOKEN_EXPIRED,
  type ClientMessage,
  parseServerFrame,
  type ServerFrame,
  STREAM_PROTOCOL,
} from './stream-frames';

export type StreamStatus = 'idle' | 'connecting' | 'live' | 'reconnecting';

/** The part of a WebSocket the stream uses (the browser's, or a test's fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

const OPEN = 1;

export interface LiveStreamOptions {
  url: string;
  /** A valid access token (renewed by the session when near expiry). */
  token: () => Promise<string>;
  /** A new token, after the gateway closed the stream for an expired one. */
  renewToken: () => Promise<string>;
  /** Where to resume each delivery: the last sequence held without a gap. */
  resumeAfter: (deliveryId: string) => number;
  onFrame: (frame: ServerFrame) => void;
  onStatus: (status: StreamStatus) => void;
  createSocket?: (url: string, protocols: string[]) => SocketLike;
  /** Timers, injectable so tests step through reconnects. */
  schedule?: (callback: () => void, delayMs: number) => () => void;
  delayMs?: (attempt: number) => number;
}

/** Pause before asking again for a delivery the gateway could not look up just now. */
const RESUBSCRIBE_DELAY_MS = 2_000;

/**
 * The page's one connection to /api/v1/stream. It follows a set of deliveries (and, for an
 * operator, the fleet); when the connection drops it says so, reconnects with backoff and
 * subscribes again after the last sequence the page holds for each delivery, so the gateway
 * replays exactly what was missed. Duplicates that still arrive are dropped by the merge.
 */
export class LiveStream {
  private socket: SocketLike | null = null;
  private readonly followed = new Set<string>();
  private watchingFleet = false;
  private attempt = 0;
  private running = false;
  private cancelReconnect: (() => void) | null = null;
  private status: StreamStatus = 'idle';
  private readonly createSocket: (url: string, protocols: string[]) => SocketLike;
  private readonly schedule: (callback: () => void, delayMs: number) => () => void;
  private readonly delayMs: (attempt: number) => number;

  constructor(private readonly options: LiveStreamOptions) {
    this.createSocket = options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
    this.schedule =
      options.schedule ??
      ((callback, delayMs) => {
        const timer = setTimeout(callback, delayMs);
        return () => clearTimeout(timer);
      });
    this.delayMs = options.delayMs ?? ((attempt) => reconnectDelayMs(attempt));
  }

  get currentStatus(): StreamStatus {
    return this.status;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.cancelReconnect?.();
    this.cancelReconnect = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'the page stopped following');
    this.setStatus('idle');
  }

  follow(deliveryId: string): void {
    if (this.followed.has(deliveryId)) return;
    this.followed.add(deliveryId);
    this.subscribe(deliveryId);
  }

  unfollow(deliveryId: string): void {
    if (!this.followed.delete(deliveryId)) return;
    this.send({ type: 'unsubscribe', deliveryId });
  }

  /** Operators: every drone's position. The gateway has no "stop", so this lasts the connection. */
  watchFleet(): void {
    if (this.watchingFleet) return;
    this.watchingFleet = true;
    this.send({ type: 'watch-fleet' });
  }

  private subscribe(deliveryId: string): void {
    this.send({
      type: 'subscribe',
      deliveryId,
      afterSequence: this.options.resumeAfter(deliveryId),
    });
  }

  private async connect(renew = false): Promise<void> {
    this.setStatus(this.attempt === 0 && !renew ? 'connecting' : 'reconnecting');
    let token: string;
    try {
      token = renew ? await this.options.renewToken() : await this.options.token();
    } catch {
      return this.reconnectLater();
    }
    if (!this.running) return;
    const socket = this.createSocket(this.options.url, [STREAM_PROTOCOL, `bearer.${token}`]);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.setStatus('live');
      if (this.watchingFleet) this.send({ type: 'watch-fleet' });
      for (const deliveryId of this.followed) this.subscribe(deliveryId);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      // Data flowing: the connection is healthy, so the next drop starts the backoff afresh.
      this.attempt = 0;
      const frame = parseServerFrame(event.data);
      if (!frame) return;
      if (frame.type === 'error' && frame.code === 'unavailable' && frame.deliveryId) {
        const deliveryId = frame.deliveryId;
        this.schedule(() => {
          if (this.followed.has(deliveryId)) this.subscribe(deliveryId);
        }, RESUBSCRIBE_DELAY_MS);
      }
      this.options.onFrame(frame);
    };
    socket.onerror = () => undefined;
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (!this.running) return;
      if (event.code === CLOSE_TOKEN_EXPIRED) {
        this.setStatus('reconnecting');
        void this.connect(true);
        return;
      }
      this.reconnectLater();
    };
  }

  private reconnectLater(): void {
    if (!this.running) return;
    this.setStatus('reconnecting');
    const delay = this.delayMs(this.attempt);
    this.attempt += 1;
    this.cancelReconnect = this.schedule(() => {
      this.cancelReconnect = null;
      if (this.running) void this.connect();
    }, delay);
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
