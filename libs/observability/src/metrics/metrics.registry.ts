import { collectDefaultMetrics, register } from 'prom-client';

/**
 * Every metric lives in prom-client's default registry: the instruments of this folder register
 * themselves there when first imported, and `/metrics` renders it (see libs/service-defaults).
 */
let defaultMetricsStarted = false;

/**
 * Labels every series with `service` (e.g. `scheduler`) and starts prom-client's default metrics
 * (process_resident_memory_bytes, nodejs_eventloop_lag_seconds, nodejs_heap_size_used_bytes, ...)
 * once per process, however many apps a test builds.
 */
export function startMetrics(serviceName: string): void {
  register.setDefaultLabels({ service: serviceName });
  if (defaultMetricsStarted) return;
  defaultMetricsStarted = true;
  collectDefaultMetrics();
}

/** The Content-Type of `renderMetrics()`: Prometheus text format 0.0.4. */
export const METRICS_CONTENT_TYPE: string = register.contentType;

/** Every metric in the Prometheus text format, scrape-time gauges measured now. */
export function renderMetrics(): Promise<string> {
  return register.metrics();
}

/** Seconds since `started` (a `performance.now()` reading): what the duration histograms take. */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
