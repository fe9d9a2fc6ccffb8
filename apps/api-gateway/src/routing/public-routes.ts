/** The services the gateway forwards to. */
export type PublicService =
  'scheduler' | 'delivery' | 'delivery-history' | 'drone-management' | 'identity';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface PublicRoute {
  method: HttpMethod;
  /** An Express route template: what the metrics name the route by. */
  path: string;
  service: PublicService;
}

/**
 * The public API, call by call, and which service answers each. Everything here needs an access
 * token; anything else under /api is a 404, and a known path with another method a 405.
 */
export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  { method: 'POST', path: '/api/v1/deliveries', service: 'scheduler' },
  { method: 'PATCH', path: '/api/v1/deliveries/:deliveryId', service: 'scheduler' },
  { method: 'DELETE', path: '/api/v1/deliveries/:deliveryId', service: 'scheduler' },
  { method: 'GET', path: '/api/v1/delivery-requests/:requestId', service: 'scheduler' },
  { method: 'GET', path: '/api/v1/deliveries/:deliveryId', service: 'delivery' },
  { method: 'POST', path: '/api/v1/deliveries/:deliveryId/notifications', service: 'delivery' },
  {
    method: 'GET',
    path: '/api/v1/deliveries/:deliveryId/notifications/:subscriptionId',
    service: 'delivery',
  },
  { method: 'GET', path: '/api/v1/deliveries/:deliveryId/history', service: 'delivery-history' },
  { method: 'GET', path: '/api/v1/delivery-history', service: 'delivery-history' },
  { method: 'GET', path: '/api/v1/service-area', service: 'drone-management' },
];

/** The issuer's own paths, forwarded as they are and without a token: they hand tokens out. */
export const IDENTITY_PATH = '/identity{/*rest}';

/** The services whose OpenAPI documents make up the public one (identity has its own). */
export const DOCUMENTED_SERVICES: readonly PublicService[] = [
  'scheduler',
  'delivery',
  'delivery-history',
  'drone-management',
];

/** Calls that change something: limited by their own, stricter, bucket. */
export function isWrite(method: string): boolean {
  return method === 'POST' || method === 'PATCH' || method === 'DELETE' || method === 'PUT';
}

/** Each public path with the methods it answers, for the 405s' `Allow` header. */
export function allowedMethodsByPath(routes: readonly PublicRoute[]): Map<string, HttpMethod[]> {
  const byPath = new Map<string, HttpMethod[]>();
  for (const route of routes) {
    byPath.set(route.path, [...(byPath.get(route.path) ?? []), route.method]);
  }
  return byPath;
}
