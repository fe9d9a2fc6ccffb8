import { useEffect, useRef } from 'preact/hooks';
import { liveStore, liveStream } from '../app/live';
import { routeOf } from '../stream/delivery-timeline';

/**
 * Which deliveries the stream follows, counted per view that shows them: a delivery stays
 * followed while any view holds it, and a little longer, so moving from the list to a
 * delivery's page keeps its events instead of replaying them.
 */
const holders = new Map<string, number>();
const pendingRelease = new Map<string, ReturnType<typeof setTimeout>>();
const RELEASE_DELAY_MS = 5_000;

export function holdDelivery(deliveryId: string): () => void {
  clearTimeout(pendingRelease.get(deliveryId));
  pendingRelease.delete(deliveryId);
  holders.set(deliveryId, (holders.get(deliveryId) ?? 0) + 1);
  liveStream.follow(deliveryId);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const remaining = (holders.get(deliveryId) ?? 1) - 1;
    if (remaining > 0) return void holders.set(deliveryId, remaining);
    holders.delete(deliveryId);
    pendingRelease.set(
      deliveryId,
      setTimeout(() => {
        pendingRelease.delete(deliveryId);
        if (holders.has(deliveryId)) return;
        liveStream.unfollow(deliveryId);
        liveStore.forget(deliveryId, routeOf(liveStore.timeline(deliveryId)).droneId);
      }, RELEASE_DELAY_MS),
    );
  };
}

/** Follows exactly `deliveryIds` while the view is shown; changes follow and unfollow the difference. */
export function useFollowedDeliveries(deliveryIds: readonly string[]): void {
  const held = useRef(new Map<string, () => void>());
  const key = [...deliveryIds].sort().join(',');
  useEffect(() => {
    const wanted = new Set(key === '' ? [] : key.split(','));
    for (const deliveryId of wanted) {
      if (!held.current.has(deliveryId)) held.current.set(deliveryId, holdDelivery(deliveryId));
    }
    for (const [deliveryId, release] of held.current) {
      if (!wanted.has(deliveryId)) {
        release();
        held.current.delete(deliveryId);
      }
    }
  }, [key]);
  useEffect(
    () => () => {
      for (const release of held.current.values()) release();
      held.current.clear();
    },
    [],
  );
}
