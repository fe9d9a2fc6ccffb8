import { useEffect, useRef, useState } from 'preact/hooks';
import { type ServiceArea } from '../api/api-types';
import { session } from '../auth/session';
import { type SignedInUser } from '../auth/token-set';
import { CustomerHome } from '../customer/customer-home';
import { DeliveryPage } from '../customer/delivery-page';
import { DeadLettersPage } from '../operator/dead-letters-page';
import { FleetPage } from '../operator/fleet-page';
import { OperationsPage } from '../operator/operations-page';
import { type StreamStatus } from '../stream/live-stream';
import { liveStream, useLiveStore } from './live';
import { ProblemAlert } from './problem-alert';
import { onLinkClick, routeOf, usePath } from './router';
import { CallbackPage, SignInPage } from './sign-in';
import { useApi } from './use-api';

function useSignedInUser(): SignedInUser | null {
  const [user, setUser] = useState(session.user);
  useEffect(() => session.subscribe(() => setUser(session.user)), []);
  return user;
}

export function App() {
  const path = usePath();
  const user = useSignedInUser();
  if (routeOf(path).name === 'callback') return <CallbackPage />;
  if (!user) return <SignInPage />;
  return <SignedIn user={user} path={path} />;
}

const STREAM_TEXT: Record<StreamStatus, string> = {
  idle: 'Live updates off',
  connecting: 'Connecting to live updates…',
  live: 'Live',
  reconnecting: 'Reconnecting to live updates…',
};

function StreamStatusBadge() {
  const store = useLiveStore();
  const status = store.streamStatus;
  return (
    <p role="status" class={`stream ${status}`} data-testid="stream-status" data-status={status}>
      {STREAM_TEXT[status]}
    </p>
  );
}

function SignedIn({ user, path }: { user: SignedInUser; path: string }) {
  const route = routeOf(path);
  const area = useApi<ServiceArea>('/api/v1/service-area');
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    liveStream.start();
    return () => liveStream.stop();
  }, []);

  // A new page: focus its heading, so screen readers announce it and Tab starts there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);

  const operator = user.role === 'operator';
  const links = operator
    ? [
        { href: '/fleet', label: 'Fleet' },
        { href: '/operations', label: 'Operations' },
      ]
    : [{ href: '/', label: 'Deliveries' }];
  const currentHref = route.name === 'home' ? (operator ? '/fleet' : '/') : path;

  let page;
  if (!area.data) {
    page = area.error ? (
      <>
        <h1 tabIndex={-1}>The service area could not be loaded</h1>
        <ProblemAlert message={area.error} />
        <button type="button" onClick={area.reload}>
          Try again
        </button>
      </>
    ) : (
      <p role="status">Loading the service area…</p>
    );
  } else if (operator) {
    if (route.name === 'home' || route.name === 'fleet') page = <FleetPage area={area.data} />;
    else if (route.name === 'operations') page = <OperationsPage />;
    else if (route.name === 'dead-letters') page = <DeadLettersPage topic={route.topic} />;
    // Operators may open any delivery (from the fleet table), as the API lets them.
    else if (route.name === 'delivery')
      page = <DeliveryPage deliveryId={route.deliveryId} area={area.data} />;
    else page = <NotFound />;
  } else if (route.name === 'home') {
    page = <CustomerHome area={area.data} />;
  } else if (route.name === 'delivery') {
    page = <DeliveryPage deliveryId={route.deliveryId} area={area.data} />;
  } else {
    page = <NotFound />;
  }

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <p class="brand">Drone Delivery</p>
        <nav aria-label="Main">
          <ul>
            {links.map((link) => (
              <li key={link.href}>
                <a
                  href={link.href}
                  onClick={onLinkClick}
                  aria-current={currentHref === link.href ? 'page' : undefined}
                >
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <StreamStatusBadge />
        <p class="who">
          <span data-testid="signed-in-as">{user.displayName}</span> ({user.role})
        </p>
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        <a href="/" onClick={onLinkClick}>
          Go to the start page
        </a>
      </p>
    </>
  );
}
