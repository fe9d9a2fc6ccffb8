import {
  FLEET_SNAPSHOT_REQUESTED,
  type FleetSnapshotAnswer,
  type FleetSnapshotRequest,
  type FlownDrone,
  TOPICS,
} from '@drone-delivery/contracts';
import { type Producer } from '@drone-delivery/messaging';
import { v7 as uuidv7 } from 'uuid';

/** `GET /api/v1/fleet`: what the instances that answered in time fly. */
export interface FleetSnapshotView {
  requestId: string;
  /** Every instance that answered before the deadline, with how many drones it flies. */
  instances: { instanceId: string; drones: number }[];
  /** Each drone once: the newest report among the answers, with the instance that made it. */
  drones: (FlownDrone & { instanceId: string })[];
  /** How long the gateway gathered answers. */
  waitedMs: number;
}

export interface FleetSnapshotOptions {
  /** The gateway's name in the source of its requests. */
  source: string;
  /** Answers are gathered this long, then the snapshot is what arrived. */
  waitMs: number;
  /** Where instances answer; this gateway reads it in a consumer group of its own. */
  replyTopic?: string;
}

/**
 * Publish/async responses, the asking side: publish one request to every drone-management
 * instance, gather the answers that name it until the deadline, and merge them. The number of
 * instances is not known (they scale freely), so the deadline, not a count, ends the wait.
 * Answers arrive through `receive`, called by this gateway's reply consumer.
 */
export class FleetSnapshotGatherer {
  private readonly pending = new Map<string, FleetSnapshotAnswer[]>();
  private readonly replyTopic: string;

  constructor(
    private readonly producer: () => Promise<Producer>,
    private readonly options: FleetSnapshotOptions,
  ) {
    this.replyTopic = options.replyTopic ?? TOPICS.fleetSnapshotReplies.name;
  }

  async gather(correlationId?: string): Promise<FleetSnapshotView> {
    const requestId = uuidv7();
    const started = Date.now();
    const request: FleetSnapshotRequest = {
      specversion: '1.0',
      id: requestId,
      source: this.options.source,
      type: FLEET_SNAPSHOT_REQUESTED,
      subject: requestId,
      time: new Date(started).toISOString(),
      datacontenttype: 'application/json',
      sequence: 1,
      ...(correlationId && { correlationid: correlationId }),
      data: {
        replyTopic: this.replyTopic,
        answerBy: new Date(started + this.options.waitMs).toISOString(),
      },
    };
    this.pending.set(requestId, []);
    try {
      const producer = await this.producer();
      await producer.send({
        topic: TOPICS.fleetSnapshotRequests.name,
        acks: -1,
        messages: [{ key: requestId, value: JSON.stringify(request) }],
      });
      const remaining = started + this.options.waitMs - Date.now();
      if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
      return mergeAnswers(requestId, this.pending.get(requestId) ?? [], Date.now() - started);
    } finally {
      this.pending.delete(requestId);
    }
  }

  /** An answer from the reply topic; ignored unless it names a request still being gathered. */
  receive(answer: FleetSnapshotAnswer): void {
    this.pending.get(answer.subject)?.push(answer);
  }
}

/** One entry per instance (its last answer) and per drone (the newest report). */
export function mergeAnswers(
  requestId: string,
  answers: FleetSnapshotAnswer[],
  waitedMs: number,
): FleetSnapshotView {
  const byInstance = new Map(answers.map((answer) => [answer.data.instanceId, answer.data]));
  const drones = new Map<string, FlownDrone & { instanceId: string }>();
  for (const { instanceId, drones: flown } of byInstance.values()) {
    for (const drone of flown) {
      const known = drones.get(drone.droneId);
      if (!known || Date.parse(drone.reportedAt) > Date.parse(known.reportedAt)) {
        drones.set(drone.droneId, { ...drone, instanceId });
      }
    }
  }
  return {
    requestId,
    instances: [...byInstance.values()]
      .map(({ instanceId, drones: flown }) => ({ instanceId, drones: flown.length }))
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId)),
    drones: [...drones.values()].sort((a, b) => a.droneId.localeCompare(b.droneId)),
    waitedMs,
  };
}
