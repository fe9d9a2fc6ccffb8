/**
 * The authorization code flow's two ends as pure functions: the URL the browser is sent to,
 * and the reading of the URL it comes back to (/callback).
 */

export const DASHBOARD_CLIENT_ID = 'dashboard';
/**
 * Identity grants only the API scope the person holds (customer or operator) of the two asked
 * for, so one client serves both kinds of people.
 */
export const DASHBOARD_SCOPE = 'openid email customer operator';

/** What the tab remembers between leaving for the sign-in page and coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The dashboard path to return to after signing in. */
  returnTo: string;
  /** A prompt=none attempt: on login_required the person is asked to sign in instead. */
  silent: boolean;
}

export interface AuthorizationUrlInput {
  authorizationEndpoint: string;
  redirectUri: string;
  codeChallenge: string;
  pending: PendingSignIn;
}

export function authorizationUrl(input: AuthorizationUrlInput): string {
  const url = new URL(input.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: DASHBOARD_CLIENT_ID,
    redirect_uri: input.redirectUri,
    scope: DASHBOARD_SCOPE,
    state: input.pending.state,
    nonce: input.pending.nonce,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
    ...(input.pending.silent && { prompt: 'none' }),
  }).toString();
  return url.toString();
}

export type CallbackResult =
  | { kind: 'code'; code: string }
  | { kind: 'error'; error: string; description: string }
  | { kind: 'not-a-callback' };

/** The callback's query, checked against the sign-in this tab started. */
export function readCallback(search: string, pending: PendingSignIn | null): CallbackResult {
  const params = new URLSearchParams(search);
  const state = params.get('state');
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return { kind: 'not-a-callback' };
  if (!pending || state !== pending.state) {
    // Another tab's sign-in, a bookmarked callback, or a forged one: never redeem it.
    return {
      kind: 'error',
      error: 'state_mismatch',
      description: 'This sign-in was not started here, or it was already used.',
    };
  }
  if (error) {
    return { kind: 'error', error, description: params.get('error_description') ?? error };
  }
  return { kind: 'code', code: code as string };
}

/** The token request's form body (RFC 6749 §4.1.3 with RFC 7636's code_verifier). */
export function codeExchangeBody(code: string, redirectUri: string, verifier: string): string {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: DASHBOARD_CLIENT_ID,
    code_verifier: verifier,
  }).toString();
}

export function refreshBody(refreshToken: string): string {
  return new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: DASHBOARD_CLIENT_ID,
  }).toString();
}

/**
 * Endpoints moved onto the page's origin. Identity sits behind the gateway that serves this page
 * (it forwards /identity/* unchanged), but its issuer name may spell the host another way
 * (localhost and 127.0.0.1); the page may only call its own origin (connect-src 'self').
 */
export function onPageOrigin(endpoint: string, pageOrigin: string): string {
  const url = new URL(endpoint);
  // A new URL rather than setting `host`: that setter keeps the old port when the new has none.
  return new URL(`${url.pathname}${url.search}${url.hash}`, pageOrigin).toString();
}
