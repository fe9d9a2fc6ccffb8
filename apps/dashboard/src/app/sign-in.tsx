import { useEffect, useState } from 'preact/hooks';
import { session } from '../auth/session';
import { navigate } from './router';

/** Nobody signed in: one button to identity's sign-in page. */
export function SignInPage() {
  const [problem, setProblem] = useState('');
  const signIn = () => {
    setProblem('');
    session
      .signIn()
      .catch((error: unknown) => setProblem(String((error as Error).message ?? error)));
  };
  return (
    <main id="main" class="sign-in">
      <h1>Drone Delivery operations</h1>
      <p>Follow your deliveries live, schedule new ones, and, as an operator, watch the fleet.</p>
      <button type="button" onClick={signIn}>
        Sign in
      </button>
      {problem && (
        <p role="alert">
          <strong>Signing in is not possible right now.</strong> {problem}
        </p>
      )}
      <p class="hint">
        Demo people: <code>customer@contoso.example</code> (password <code>contoso-demo</code>) and{' '}
        <code>operator@drone-delivery.example</code> (password <code>operator-demo</code>).
      </p>
    </main>
  );
}

/** /callback: redeems the authorization code, then returns to where the sign-in started. */
export function CallbackPage() {
  const [problem, setProblem] = useState('');
  useEffect(() => {
    session.completeSignIn(location.search).then(
      (returnTo) => navigate(returnTo === '/callback' ? '/' : returnTo, { replace: true }),
      (error: unknown) => setProblem((error as Error).message ?? String(error)),
    );
  }, []);
  return (
    <main id="main" class="sign-in">
      <h1>Signing in…</h1>
      {problem ? (
        <>
          <p role="alert">
            <strong>The sign-in did not complete.</strong> {problem}
          </p>
          <button type="button" onClick={() => void session.signIn('/')}>
            Sign in again
          </button>
        </>
      ) : (
        <p role="status">Checking your sign-in…</p>
      )}
    </main>
  );
}
