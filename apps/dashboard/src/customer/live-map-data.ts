import { type MapDrone, type MapRoute } from '../map/service-map';
import { routeOf } from '../stream/delivery-timeline';
import { type LiveStore } from '../stream/live-store';

/** The map's routes and drone markers for these deliveries, from what the stream has sent. */
export function mapDataOf(
  store: LiveStore,
  deliveryIds: readonly string[],
): { routes: MapRoute[]; drones: MapDrone[] } {
  const routes: MapRoute[] = [];
  const drones = new Map<string, MapDrone>();
  for (const deliveryId of deliveryIds) {
    const route = routeOf(store.timeline(deliveryId));
    routes.push({ deliveryId, pickup: route.pickup, dropoff: route.dropoff });
    const position = route.droneId ? store.position(route.droneId) : undefined;
    if (position) {
      drones.set(position.droneId, {
        droneId: position.droneId,
        state: position.state,
        location: position.location,
        batteryPercent: position.batteryPercent,
      });
    }
  }
  // A drone whose route has not arrived yet still shows: its reports name the delivery.
  const wanted = new Set(deliveryIds);
  for (const position of store.allPositions()) {
    if (position.deliveryId && wanted.has(position.deliveryId) && !drones.has(position.droneId)) {
      drones.set(position.droneId, {
        droneId: position.droneId,
        state: position.state,
        location: position.location,
        batteryPercent: position.batteryPercent,
      });
    }
  }
  return { routes, drones: [...drones.values()] };
}
