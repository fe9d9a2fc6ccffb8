export { CORRELATION_ID_HEADER, currentCorrelationId, withCorrelationId } from './correlation-id';
export {
  DEFAULT_DOWNSTREAM_POLICY,
  DownstreamClient,
  DownstreamUnavailableError,
  parseRetryAfterMs,
  type DownstreamOptions,
  type DownstreamPolicy,
  type DownstreamRequest,
  type DownstreamResponse,
  type UnavailableReason,
} from './downstream-client';
export { ServiceTokenGuard } from './service-token.guard';
export {
  ServiceTokenError,
  ServiceTokens,
  type ServiceCaller,
  type ServiceTokenOptions,
} from './service-tokens';
