import { type CloudEvent, eventParser } from './cloud-event';
import { DRONE_TELEMETRY_DATA_SCHEMA, type DroneTelemetryData } from './drone-telemetry';
import { TOPICS } from './topics';

/**
 * Publish/async responses: the gateway asks every drone-management instance at once which drones
 * it is flying, and gathers the answers on a reply topic until a deadline. The request's
 * CloudEvents `id` is the correlation id: each answer's `subject` names it.
 */
export const FLEET_SNAPSHOT_REQUESTED = 'drone-delivery.fleet.SnapshotRequested.v1';
export const FLEET_SNAPSHOT_ANSWERED = 'drone-delivery.fleet.SnapshotAnswered.v1';

/**
 * Reply topics a request may name. Anything else is refused: an instance must never be made to
 * write into another topic (delivery.events.v1, say) by whoever can produce a request.
 */
export const FLEET_SNAPSHOT_REPLY_TOPIC_PATTERN =
  /^fleet\.snapshot-replies\.v1(\.[a-z0-9-]{1,64})?$/;

export interface FleetSnapshotRequestData {
  /** Where to answer: `fleet.snapshot-replies.v1` (or a suffixed variant of it). */
  replyTopic: string;
  /** An answer after this is useless to the asker: instances skip requests past it. */
  answerBy: string;
}

/** A drone's latest report as an instance flew it, and when (answers may overlap: newest wins). */
export interface FlownDrone extends DroneTelemetryData {
  reportedAt: string;
}

export interface FleetSnapshotAnswerData {
  /** The answering drone-management instance (host and process). */
  instanceId: string;
  /** The latest report of each drone this instance flew lately (the flight simulator's ticks). */
  drones: FlownDrone[];
}

export type FleetSnapshotRequest = CloudEvent<
  typeof FLEET_SNAPSHOT_REQUESTED,
  FleetSnapshotRequestData
>;
export type FleetSnapshotAnswer = CloudEvent<
  typeof FLEET_SNAPSHOT_ANSWERED,
  FleetSnapshotAnswerData
>;

export const FLEET_SNAPSHOT_REQUEST_DATA_SCHEMA = {
  type: 'object',
  required: ['replyTopic', 'answerBy'],
  properties: {
    replyTopic: { type: 'string', pattern: FLEET_SNAPSHOT_REPLY_TOPIC_PATTERN.source },
    answerBy: { type: 'string', format: 'date-time' },
  },
  additionalProperties: false,
} as const;

export const FLEET_SNAPSHOT_ANSWER_DATA_SCHEMA = {
  type: 'object',
  required: ['instanceId', 'drones'],
  properties: {
    instanceId: { type: 'string', minLength: 1, maxLength: 200 },
    drones: {
      type: 'array',
      maxItems: 10_000,
      items: {
        ...DRONE_TELEMETRY_DATA_SCHEMA,
        required: [...DRONE_TELEMETRY_DATA_SCHEMA.required, 'reportedAt'],
        properties: {
          ...DRONE_TELEMETRY_DATA_SCHEMA.properties,
          reportedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
  additionalProperties: false,
} as const;

/** Checks a message of `fleet.snapshot-requests.v1`; throws EventValidationError saying why. */
export const parseFleetSnapshotRequest = eventParser<FleetSnapshotRequest>(
  TOPICS.fleetSnapshotRequests.name,
  { [FLEET_SNAPSHOT_REQUESTED]: FLEET_SNAPSHOT_REQUEST_DATA_SCHEMA },
);

/** Checks a message of `fleet.snapshot-replies.v1`; throws EventValidationError saying why. */
export const parseFleetSnapshotAnswer = eventParser<FleetSnapshotAnswer>(
  TOPICS.fleetSnapshotReplies.name,
  { [FLEET_SNAPSHOT_ANSWERED]: FLEET_SNAPSHOT_ANSWER_DATA_SCHEMA },
);
