import { observeHttpRequest } from './http.metrics';
import { renderMetrics } from './metrics.registry';
import { metricSampleValue } from './metric-samples';

describe('observeHttpRequest', () => {
  it('counts requests by method, route and status in the contract buckets', async () => {
    const route = '/deliveries/:deliveryId';
    observeHttpRequest({ method: 'GET', route, statusCode: 200, durationSeconds: 0.007 });
    observeHttpRequest({ method: 'GET', route, statusCode: 200, durationSeconds: 3 });
    observeHttpRequest({ method: 'GET', route, statusCode: 404, durationSeconds: 0.001 });

    const text = await renderMetrics();
    const ok = { method: 'GET', route, status_code: '200' };
    expect(metricSampleValue(text, 'http_server_request_duration_seconds_count', ok)).toBe(2);
    expect(metricSampleValue(text, 'http_server_request_duration_seconds_sum', ok)).toBeCloseTo(
      3.007,
    );
    const bucket = (le: string) =>
      metricSampleValue(text, 'http_server_request_duration_seconds_bucket', { ...ok, le });
    expect(bucket('0.005')).toBe(0);
    expect(bucket('0.01')).toBe(1);
    expect(bucket('2.5')).toBe(1);
    expect(bucket('5')).toBe(2);
    expect(bucket('10')).toBe(2);
    expect(
      metricSampleValue(text, 'http_server_request_duration_seconds_count', {
        route,
        status_code: '404',
      }),
    ).toBe(1);
  });
});
