// Tracing: started first thing in every main.ts (see apps/*/src/instrumentation.ts).
// Metrics: Prometheus, served at /metrics by every service.
export {
  CreationContextPropagator,
  currentTraceIds,
  flushTracing,
  startTracing,
  traceContextHeaders,
  type Tracing,
} from './tracing';
export {
  METRICS_CONTENT_TYPE,
  renderMetrics,
  secondsSince,
  startMetrics,
} from './metrics/metrics.registry';
export {
  observeHttpRequest,
  UNMATCHED_ROUTE,
  type HttpRequestObservation,
} from './metrics/http.metrics';
export {
  consumerMetrics,
  type ConsumerMetrics,
  type MessageOutcome,
} from './metrics/kafka-consumer.metrics';
export {
  countOutboxPublished,
  registerOutboxBacklog,
  type BacklogMeasure,
} from './metrics/outbox.metrics';
export {
  observeDownstreamRequest,
  registerCircuitBreaker,
  statusClass,
  type CircuitBreakerState,
  type DownstreamOutcome,
} from './metrics/downstream.metrics';
export { streamMetrics } from './metrics/stream.metrics';
export { metricSampleValue, parseMetricSamples, type MetricSample } from './metrics/metric-samples';
