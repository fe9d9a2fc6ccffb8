// The tracing entry point on its own (`@drone-delivery/observability/tracing`): what each
// service's instrumentation.ts imports before anything else, so that loading it loads nothing
// the instrumentations have to patch (prom-client, in the metrics half of the lib, loads `http`).
export { CreationContextPropagator } from './creation-context.propagator';
export { flushTracing, startTracing, type Tracing } from './start-tracing';
export { currentTraceIds, traceContextHeaders } from './trace-context';
