import { Gauge, Histogram } from 'prom-client';

/** What DownstreamClient.circuitState says: cockatiel's states in kebab case. */
export type CircuitBreakerState = 'closed' | 'half-open' | 'open' | 'isolated';

const STATE_VALUES: Record<CircuitBreakerState, number> = {
  closed: 0,
  'half-open': 1,
  open: 2,
  isolated: 3,
};

/** `downstream` → how to read its breaker now; the latest client of a name wins. */
const breakers = new Map<string, () => string>();

/** circuit_breaker_state                 gauge {downstream}: 0 closed, 1 half-open, 2 open, 3 isolated. */
new Gauge({
  name: 'circuit_breaker_state',
  help: 'Circuit breaker of calls to a downstream: 0 closed, 1 half-open, 2 open, 3 isolated.',
  labelNames: ['downstream'] as const,
  collect() {
    this.reset();
    for (const [downstream, state] of breakers) {
      const value = STATE_VALUES[state() as CircuitBreakerState];
      if (value !== undefined) this.set({ downstream }, value);
    }
  },
});

/**
 * downstream_request_duration_seconds   histogram {downstream, outcome}: outcome = a status class (2xx, 4xx, 5xx) or
 *     `error` (no response) or `rejected` (breaker open).
 */
const downstreamRequestDuration = new Histogram({
  name: 'downstream_request_duration_seconds',
  help: 'Time of one HTTP attempt to a downstream service, by status class, error or rejected.',
  labelNames: ['downstream', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** A status class (`2xx`...`5xx`), `error` (no response) or `rejected` (not sent: breaker open). */
export type DownstreamOutcome = `${1 | 2 | 3 | 4 | 5}xx` | 'error' | 'rejected';

export function statusClass(status: number): DownstreamOutcome {
  return `${Math.min(5, Math.max(1, Math.floor(status / 100))) as 1 | 2 | 3 | 4 | 5}xx`;
}

/** Makes `circuit_breaker_state{downstream}` read `state()` at every scrape. */
export function registerCircuitBreaker(downstream: string, state: () => string): void {
  breakers.set(downstream, state);
}

export function observeDownstreamRequest(
  downstream: string,
  outcome: DownstreamOutcome,
  durationSeconds: number,
): void {
  downstreamRequestDuration.observe({ downstream, outcome }, durationSeconds);
}
