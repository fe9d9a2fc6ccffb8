export {
  ClientCredentialsTokens,
  TokenRequestError,
  type ClientCredentials,
} from './client-credentials';
export {
  pointAt,
  randomDeliveryRequest,
  type DemoRouteOptions,
  type ScheduleDeliveryRequest,
} from './delivery-requests';
export {
  runDelivery,
  timeToCompleted,
  type DeliveryOutcome,
  type DeliveryRunEvent,
  type DeliveryRunOptions,
} from './delivery-run';
export {
  ApiResponseError,
  ApiUnreachableError,
  problemSummary,
  PublicApiClient,
  sleep,
  type DeliveryStatus,
  type HistoryEntry,
  type PublicApiClientOptions,
  type RetryNotice,
  type ScheduledDelivery,
  type ScheduleResult,
} from './public-api.client';
export { retryAfterMs } from './retry-after';
export { runDeliveries, type RunDeliveriesOptions } from './run-deliveries';
export {
  formatRunSummary,
  outcomeReason,
  summarizeRun,
  type ReasonCount,
  type RunSummary,
} from './run-summary';
