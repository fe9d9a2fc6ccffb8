import { type NestExpressApplication } from '@nestjs/platform-express';
import {
  METRICS_CONTENT_TYPE,
  observeHttpRequest,
  renderMetrics,
  secondsSince,
  startMetrics,
  UNMATCHED_ROUTE,
} from '@drone-delivery/observability';

/** Where Prometheus scrapes every service. */
export const METRICS_PATH = '/metrics';

/** What Express 5 leaves on a request once its router matched a route. */
interface RoutedRequest {
  method: string;
  /** The path of the router the route is mounted on; '' for the app's own router. */
  baseUrl?: string;
  /** The matched route; its `path` is the template as registered (`/deliveries/:deliveryId`). */
  route?: { path?: unknown };
}

interface TimedResponse {
  statusCode: number;
  once(event: 'finish', listener: () => void): unknown;
}

interface MetricsResponse {
  status(code: number): MetricsResponse;
  setHeader(name: string, value: string): void;
  send(body: string): void;
}

/**
 * Prometheus metrics for an app: `service` on every series, request durations by route
 * template and status, and `GET /metrics`. The endpoint is a plain Express route, outside
 * Nest's controllers, so no guard (service tokens) applies to it and OpenAPI does not list it.
 */
export function serveMetrics(app: NestExpressApplication, serviceName: string): void {
  startMetrics(serviceName);
  app.use(timeRequest);
  app.getHttpAdapter().get(METRICS_PATH, async (_request: unknown, response: MetricsResponse) => {
    try {
      const body = await renderMetrics();
      response.setHeader('content-type', METRICS_CONTENT_TYPE);
      response.send(body);
    } catch (error) {
      response.status(500).send(`metrics unavailable: ${String(error)}`);
    }
  });
}

/** Registered first, so the time covers every other middleware, the handler and its filters. */
function timeRequest(request: RoutedRequest, response: TimedResponse, next: () => void): void {
  const started = performance.now();
  // Read at the end: the route is known only once the router has matched one.
  response.once('finish', () =>
    observeHttpRequest({
      method: request.method,
      route: routeTemplate(request),
      statusCode: response.statusCode,
      durationSeconds: secondsSince(started),
    }),
  );
  next();
}

/** Never the raw path: one series per route, however many ids are requested. */
export function routeTemplate(request: RoutedRequest): string {
  const path = request.route?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}
