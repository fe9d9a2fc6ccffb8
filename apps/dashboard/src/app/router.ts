import { useEffect, useState } from 'preact/hooks';

export { type Route, routeOf } from './routes';

// Client-side routes (the gateway answers every non-API path with index.html): /, /callback,
// /deliveries/:id, /fleet, /operations, /dead-letters/:topic.

const listeners = new Set<() => void>();

export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

/** The current path; re-renders on navigate() and on the browser's back and forward. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** A link that navigates in the page (plain clicks only: new tabs keep working). */
export function onLinkClick(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/');
}
