import { Histogram } from 'prom-client';

/** The `route` of requests no route matched (404s): one series, however many paths are probed. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * http_server_request_duration_seconds  histogram {method, route, status_code}
 *     route = the Express/Nest route template (e.g. `/deliveries/:deliveryId`), `unmatched` for 404s without a route.
 *     buckets 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10. /metrics and /health/* requests ARE counted (route label tells them apart).
 */
const httpServerRequestDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Time from a request arriving to its response being sent, by route template and status.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

export interface HttpRequestObservation {
  method: string;
  /** The route template, never the raw path; UNMATCHED_ROUTE when no route matched. */
  route: string;
  statusCode: number;
  durationSeconds: number;
}

export function observeHttpRequest(request: HttpRequestObservation): void {
  httpServerRequestDuration.observe(
    { method: request.method, route: request.route, status_code: String(request.statusCode) },
    request.durationSeconds,
  );
}
