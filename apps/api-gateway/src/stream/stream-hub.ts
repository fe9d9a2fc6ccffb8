import { type DeliveryEvent, type DroneTelemetryEvent } from '@drone-delivery/contracts';
import { deliveryEventFrame, positionFrame } from './stream-frames';
import { type StreamSession } from './stream-session';

/**
 * Every live-stream session of this gateway instance, and the fan-out of what its consumers
 * read: each session keeps what its client follows. The consumers are this instance's own
 * (a group per instance), so every replica sees every event and serves its own clients.
 */
export class StreamHub {
  private readonly sessions = new Set<StreamSession>();

  get size(): number {
    return this.sessions.size;
  }

  add(session: StreamSession): void {
    this.sessions.add(session);
  }

  remove(session: StreamSession): void {
    this.sessions.delete(session);
  }

  deliveryEvent(event: DeliveryEvent): void {
    if (this.sessions.size === 0) return;
    const frame = deliveryEventFrame(event);
    for (const session of this.sessions) session.onDeliveryEvent(frame);
  }

  telemetry(report: DroneTelemetryEvent): void {
    if (this.sessions.size === 0) return;
    const frame = positionFrame(report);
    for (const session of this.sessions) session.onPosition(frame, report.data.deliveryId);
  }
}
