import { type HistoryEntry } from '../api/api-types';
import { contiguousSequence, mergeEvents, type TimelineEvent } from './delivery-timeline';
import { type StreamStatus } from './live-stream';
import { type PositionFrame, type ServerFrame } from './stream-frames';

type Listener = () => void;

/**
 * What the page knows live: each followed delivery's events (history merged with the stream),
 * each drone's latest position, the stream's status and per-delivery stream errors. Views read
 * it; changes are announced at most once per animation frame, however many frames arrive.
 */
export class LiveStore {
  private readonly timelines = new Map<string, readonly TimelineEvent[]>();
  private readonly positions = new Map<string, PositionFrame>();
  private readonly errors = new Map<string, string>();
  private status: StreamStatus = 'idle';
  private readonly listeners = new Set<Listener>();
  private pending = false;
  /** Bumped on every change: views compare it to know whether to render. */
  version = 0;

  constructor(
    private readonly scheduleNotify: (callback: () => void) => void = (callback) =>
      requestAnimationFrame(callback),
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  timeline(deliveryId: string): readonly TimelineEvent[] {
    return this.timelines.get(deliveryId) ?? [];
  }

  /** The sequence the stream resumes after. */
  resumeAfter(deliveryId: string): number {
    return contiguousSequence(this.timeline(deliveryId));
  }

  position(droneId: string): PositionFrame | undefined {
    return this.positions.get(droneId);
  }

  allPositions(): PositionFrame[] {
    return [...this.positions.values()];
  }

  streamError(deliveryId: string): string | undefined {
    return this.errors.get(deliveryId);
  }

  get streamStatus(): StreamStatus {
    return this.status;
  }

  addHistory(deliveryId: string, entries: readonly HistoryEntry[]): void {
    this.merge(deliveryId, entries);
  }

  /** Forgets a delivery the page no longer shows (and its drone's position). */
  forget(deliveryId: string, droneId: string | null): void {
    this.timelines.delete(deliveryId);
    this.errors.delete(deliveryId);
    if (droneId) this.positions.delete(droneId);
    this.changed();
  }

  setStatus(status: StreamStatus): void {
    this.status = status;
    this.changed();
  }

  onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'delivery-event':
        this.errors.delete(frame.deliveryId);
        this.merge(frame.deliveryId, [
          {
            eventId: frame.eventId,
            type: frame.eventType,
            sequence: frame.sequence,
            occurredAt: frame.occurredAt,
            data: frame.data,
          },
        ]);
        break;
      case 'position': {
        const known = this.positions.get(frame.droneId);
        // At most once and latest only, but two gateways' frames may cross after a reconnect.
        if (!known || known.reportedAt <= frame.reportedAt) {
          this.positions.set(frame.droneId, frame);
          this.changed();
        }
        break;
      }
      case 'error':
        if (frame.deliveryId) {
          this.errors.set(frame.deliveryId, frame.message);
          this.changed();
        }
        break;
      case 'subscribed':
        break;
    }
  }

  private merge(deliveryId: string, entries: readonly TimelineEvent[]): void {
    const before = this.timeline(deliveryId);
    const after = mergeEvents(before, entries);
    if (after !== before) {
      this.timelines.set(deliveryId, after);
      this.changed();
    }
  }

  private changed(): void {
    this.version += 1;
    if (this.pending) return;
    this.pending = true;
    this.scheduleNotify(() => {
      this.pending = false;
      for (const listener of this.listeners) listener();
    });
  }
}
