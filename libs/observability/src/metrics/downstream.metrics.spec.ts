import {
  observeDownstreamRequest,
  registerCircuitBreaker,
  statusClass,
} from './downstream.metrics';
import { renderMetrics } from './metrics.registry';
import { metricSampleValue } from './metric-samples';

describe('downstream metrics', () => {
  it('reports each breaker state as the contract number, read at scrape time', async () => {
    let state = 'closed';
    registerCircuitBreaker('accounts', () => state);
    const expected: Record<string, number> = { closed: 0, 'half-open': 1, open: 2, isolated: 3 };
    for (const [name, value] of Object.entries(expected)) {
      state = name;
      expect(
        metricSampleValue(await renderMetrics(), 'circuit_breaker_state', {
          downstream: 'accounts',
        }),
      ).toBe(value);
    }
  });

  it('reads the latest client registered under a name', async () => {
    registerCircuitBreaker('packages', () => 'open');
    registerCircuitBreaker('packages', () => 'closed');
    expect(
      metricSampleValue(await renderMetrics(), 'circuit_breaker_state', { downstream: 'packages' }),
    ).toBe(0);
  });

  it('classes statuses', () => {
    expect([200, 204, 302, 404, 409, 500, 503].map(statusClass)).toEqual([
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
    ]);
  });

  it('times requests by downstream and outcome', async () => {
    observeDownstreamRequest('deliveries', '2xx', 0.03);
    observeDownstreamRequest('deliveries', 'rejected', 0);
    observeDownstreamRequest('deliveries', 'rejected', 0);
    const text = await renderMetrics();
    const count = (outcome: string) =>
      metricSampleValue(text, 'downstream_request_duration_seconds_count', {
        downstream: 'deliveries',
        outcome,
      });
    expect(count('2xx')).toBe(1);
    expect(count('rejected')).toBe(2);
    expect(count('error')).toBeUndefined();
  });
});
