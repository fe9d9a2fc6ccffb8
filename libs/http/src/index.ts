export {
  ACCOUNT_ID_CLAIM,
  AccessTokenError,
  AccessTokenVerifier,
  CUSTOMER_SCOPE,
  mayAccessAccount,
  OPERATOR_SCOPE,
  type AccessTokenOptions,
  type Caller,
} from './access-tokens';
export { bearerToken, CallerGuard, CurrentCaller, PublicApi } from './caller.guard';
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
export { InternalApi, ServiceTokenGuard } from './service-token.guard';
export {
  generateServiceKeyPair,
  keyOwner,
  ServiceTokenError,
  ServiceTokens,
  type ServiceCaller,
  type ServiceKeyPair,
  type ServiceTokenOptions,
} from './service-tokens';
