/**
 * Every Kafka topic of the system, with its partition count. Versioned names: an incompatible
 * change of a message goes to a new topic (`.v2`), produced alongside the old one until every
 * consumer has moved.
 */
export const TOPICS = {
  /** Drone positions and states, keyed by droneId. Producer: drone-management's simulator. */
  droneTelemetry: { name: 'drone.telemetry.v1', partitions: 6 },
  /** Delivery lifecycle events, keyed by deliveryId. Producer: delivery, through its outbox. */
  deliveryEvents: { name: 'delivery.events.v1', partitions: 6 },
  /** One notification to send, keyed by subscriptionId. Producer: delivery's matcher. */
  notificationCommands: { name: 'notification.commands.v1', partitions: 3 },
  /** "Which drones do you fly?", to every drone-management instance. Producer: api-gateway. */
  fleetSnapshotRequests: { name: 'fleet.snapshot-requests.v1', partitions: 1 },
  /** Their answers, keyed by the request's id. Producers: drone-management instances. */
  fleetSnapshotReplies: { name: 'fleet.snapshot-replies.v1', partitions: 3 },
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];
