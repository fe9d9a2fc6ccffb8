import { CLOUD_EVENT_SCHEMA } from '../events/cloud-event';
import { DELIVERY_EVENT_DATA_SCHEMAS } from '../events/delivery-events';
import { DRONE_TELEMETRY_DATA_SCHEMA, DRONE_TELEMETRY_REPORTED } from '../events/drone-telemetry';
import { SEND_NOTIFICATION, SEND_NOTIFICATION_DATA_SCHEMA } from '../events/notification-commands';
import {
  FLEET_SNAPSHOT_ANSWER_DATA_SCHEMA,
  FLEET_SNAPSHOT_ANSWERED,
  FLEET_SNAPSHOT_REQUEST_DATA_SCHEMA,
  FLEET_SNAPSHOT_REQUESTED,
} from '../events/fleet-snapshot';
import { TOPICS } from '../events/topics';

/** One topic as documented: who writes it, who reads it, what it carries. */
export interface DocumentedChannel {
  topic: { name: string; partitions: number };
  description: string;
  key: string;
  producer: string;
  consumers: string[];
  /** CloudEvents type → JSON Schema of its `data`. */
  messages: Record<string, object>;
}

/**
 * The event channels, built from the same constants and schemas the services validate with. The
 * AsyncAPI document in docs/ is generated from this (npm run asyncapi), and a test fails when the
 * two differ, so the document cannot drift from the code.
 */
export const DOCUMENTED_CHANNELS: DocumentedChannel[] = [
  {
    topic: TOPICS.droneTelemetry,
    description:
      'Drone positions and flight states, a sample stream: at least once to delivery, which ' +
      'derives delivery stages from the latest state; at most once to the live stream.',
    key: 'droneId',
    producer: 'drone-management (flight simulator)',
    consumers: ['delivery'],
    messages: { [DRONE_TELEMETRY_REPORTED]: DRONE_TELEMETRY_DATA_SCHEMA },
  },
  {
    topic: TOPICS.deliveryEvents,
    description:
      "The lifecycle of each delivery, published from delivery's transactional outbox: at " +
      'least once, in order per delivery; consumers deduplicate by event id (inbox) and order ' +
      'by `sequence`.',
    key: 'deliveryId',
    producer: 'delivery (outbox relay)',
    consumers: ['delivery-history', 'delivery (notification matcher)'],
    messages: DELIVERY_EVENT_DATA_SCHEMAS,
  },
  {
    topic: TOPICS.notificationCommands,
    description:
      'Notifications to send, one command per subscription channel and delivery event, from ' +
      "delivery's notification matcher (through its own outbox) to its notifier: at least once; " +
      'the notifier records each (subscription, event, channel) it sent and skips it when it ' +
      'comes again.',
    key: 'subscriptionId',
    producer: 'delivery (notification matcher, outbox relay)',
    consumers: ['delivery (notifier)'],
    messages: { [SEND_NOTIFICATION]: SEND_NOTIFICATION_DATA_SCHEMA },
  },
  {
    topic: TOPICS.fleetSnapshotRequests,
    description:
      'Publish/async responses: "which drones do you fly now?", read by every drone-management ' +
      'instance (each in a consumer group of its own). The CloudEvents id is the correlation ' +
      'id; `replyTopic` says where to answer; requests past `answerBy` are skipped.',
    key: 'requestId',
    producer: 'api-gateway (GET /api/v1/fleet)',
    consumers: ['drone-management (every instance)'],
    messages: { [FLEET_SNAPSHOT_REQUESTED]: FLEET_SNAPSHOT_REQUEST_DATA_SCHEMA },
  },
  {
    topic: TOPICS.fleetSnapshotReplies,
    description:
      "Each drone-management instance's answer to a fleet-snapshot request (`subject` = the " +
      "request's id): its instance id and the latest report of every drone it flew lately. " +
      'The asker gathers answers until its deadline; at most once, late answers are dropped.',
    key: 'requestId',
    producer: 'drone-management (every instance)',
    consumers: ['api-gateway (every instance, for its own requests)'],
    messages: { [FLEET_SNAPSHOT_ANSWERED]: FLEET_SNAPSHOT_ANSWER_DATA_SCHEMA },
  },
];

const shortName = (type: string) => type.split('.').slice(-2, -1)[0] ?? type;

function envelopeFor(type: string, dataSchema: object): object {
  return {
    ...CLOUD_EVENT_SCHEMA,
    properties: { ...CLOUD_EVENT_SCHEMA.properties, type: { const: type }, data: dataSchema },
  };
}

/** The AsyncAPI 3.0 document of every topic, with dead-letter topics. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const channel of DOCUMENTED_CHANNELS) {
    const id = channel.topic.name;
    const refs: Record<string, { $ref: string }> = {};
    for (const [type, dataSchema] of Object.entries(channel.messages)) {
      const name = shortName(type);
      messages[name] = {
        name,
        title: type,
        contentType: 'application/cloudevents+json',
        payload: envelopeFor(type, dataSchema),
        bindings: { kafka: { key: { type: 'string', description: channel.key } } },
      };
      refs[name] = { $ref: `#/components/messages/${name}` };
    }
    channels[id] = {
      address: id,
      description: channel.description,
      messages: refs,
      bindings: { kafka: { topic: id, partitions: channel.topic.partitions } },
    };
    channels[`${id}.dlq`] = {
      address: `${id}.dlq`,
      description:
        `Messages of ${id} a consumer could not handle, unchanged, with dlq-* headers giving ` +
        'the source topic, partition, offset, consumer group, attempts and the reason.',
      messages: refs,
      bindings: { kafka: { topic: `${id}.dlq`, partitions: channel.topic.partitions } },
    };
    operations[`produce ${id}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      summary: `${channel.producer} publishes, keyed by ${channel.key}`,
    };
    for (const consumer of channel.consumers) {
      operations[`${consumer} consumes ${id}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${id}` },
        summary: `${consumer} consumes; what it cannot handle goes to ${id}.dlq`,
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Drone Delivery events',
      version: '1.0.0',
      description:
        'Every Kafka topic of the drone delivery system. Messages are CloudEvents 1.0 in ' +
        'structured JSON mode; `data` is checked against the schema of its `type` when produced ' +
        'and when consumed. Generated from libs/contracts: do not edit by hand (npm run asyncapi).',
    },
    defaultContentType: 'application/cloudevents+json',
    channels,
    operations,
    components: { messages },
  };
}
