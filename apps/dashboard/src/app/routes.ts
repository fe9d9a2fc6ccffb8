// Client-side routes (the gateway answers every non-API path with index.html).

export type Route =
  | { name: 'home' }
  | { name: 'callback' }
  | { name: 'delivery'; deliveryId: string }
  | { name: 'fleet' }
  | { name: 'operations' }
  | { name: 'dead-letters'; topic: string }
  | { name: 'not-found' };

export function routeOf(path: string): Route {
  if (path === '/' || path === '') return { name: 'home' };
  if (path === '/callback') return { name: 'callback' };
  if (path === '/fleet') return { name: 'fleet' };
  if (path === '/operations') return { name: 'operations' };
  const delivery = /^\/deliveries\/([0-9a-f-]{36})$/i.exec(path);
  if (delivery) return { name: 'delivery', deliveryId: delivery[1].toLowerCase() };
  const deadLetters = /^\/dead-letters\/([^/]+)$/.exec(path);
  if (deadLetters) return { name: 'dead-letters', topic: decodeURIComponent(deadLetters[1]) };
  return { name: 'not-found' };
}
