import { METRICS_CONTENT_TYPE, renderMetrics, startMetrics } from './metrics.registry';
import { observeHttpRequest } from './http.metrics';
import { metricSampleValue, parseMetricSamples } from './metric-samples';

describe('startMetrics', () => {
  it('labels every series with the service and adds the default process metrics, once', async () => {
    startMetrics('scheduler');
    // A second app in the same process (tests build several) must not register them twice.
    expect(() => startMetrics('scheduler')).not.toThrow();
    observeHttpRequest({ method: 'GET', route: '/a', statusCode: 200, durationSeconds: 0.01 });

    const text = await renderMetrics();
    for (const name of [
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(metricSampleValue(text, name, { service: 'scheduler' })).toBeGreaterThanOrEqual(0);
    }
    const samples = parseMetricSamples(text);
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.filter((sample) => sample.labels.service !== 'scheduler')).toEqual([]);
  });

  it('serves the Prometheus text format', () => {
    expect(METRICS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
