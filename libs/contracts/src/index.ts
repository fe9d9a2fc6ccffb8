export { DEFAULT_SERVICE_AREA, DEMO_ACCOUNTS, DEMO_CLIENTS, DEMO_PEOPLE } from './demo-data';
export { destinationPoint, EARTH_RADIUS_KM, type GeoPoint, haversineKm } from './geo';
export * from './internal-api/accounts';
export * from './internal-api/assignments';
export * from './internal-api/deliveries';
export * from './internal-api/packages';
export {
  MAX_WEIGHT_KG,
  PACKAGE_SIZES,
  PACKAGE_TAG_MAX_LENGTH,
  type PackageSize,
} from './package-sizes';
export {
  isProblemDetails,
  PROBLEM_CONTENT_TYPE,
  type FieldError,
  type ProblemDetails,
} from './problem-details';
export {
  ajv,
  CLOUD_EVENT_SCHEMA,
  EventValidationError,
  eventParser,
  type CloudEvent,
} from './events/cloud-event';
export {
  DRONE_FLIGHT_STATES,
  DRONE_TELEMETRY_DATA_SCHEMA,
  DRONE_TELEMETRY_REPORTED,
  parseDroneTelemetry,
  type DroneFlightState,
  type DroneTelemetryData,
  type DroneTelemetryEvent,
} from './events/drone-telemetry';
export * from './events/delivery-events';
export {
  E164_PHONE_NUMBER,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_COMMAND_SOURCE,
  NOTIFICATION_SUBSCRIPTION_REQUEST_SCHEMA,
  NOTIFICATION_TARGET_SCHEMAS,
  notificationTargetProblem,
  parseNotificationCommand,
  SEND_NOTIFICATION,
  SEND_NOTIFICATION_DATA_SCHEMA,
  SUBSCRIPTION_REQUEST_FIELDS,
  subscriptionRequestErrors,
  type NotificationChannel,
  type NotificationSubscriptionRequest,
  type SendNotificationCommand,
  type SendNotificationData,
} from './events/notification-commands';
export {
  FLEET_SNAPSHOT_ANSWER_DATA_SCHEMA,
  FLEET_SNAPSHOT_ANSWERED,
  FLEET_SNAPSHOT_REPLY_TOPIC_PATTERN,
  FLEET_SNAPSHOT_REQUEST_DATA_SCHEMA,
  FLEET_SNAPSHOT_REQUESTED,
  parseFleetSnapshotAnswer,
  parseFleetSnapshotRequest,
  type FleetSnapshotAnswer,
  type FleetSnapshotAnswerData,
  type FleetSnapshotRequest,
  type FleetSnapshotRequestData,
  type FlownDrone,
} from './events/fleet-snapshot';
export { GEO_POINT_SCHEMA } from './events/geo.schema';
export { TOPICS, type TopicName } from './events/topics';
export {
  buildAsyncApiDocument,
  DOCUMENTED_CHANNELS,
  type DocumentedChannel,
} from './asyncapi/asyncapi-document';
export { SCHEDULER_SERVICE } from './services';
export { type ServiceAreaView } from './public-api/service-area';
export * from './public-api/operations';
export type * from './public-api/stream-frames';
