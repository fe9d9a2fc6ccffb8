import {
  authorizationUrl,
  DASHBOARD_CLIENT_ID,
  codeExchangeBody,
  onPageOrigin,
  type PendingSignIn,
  readCallback,
  refreshBody,
} from './authorization-request';
import { codeChallengeOf, randomUrlSafeString } from './pkce';
import {
  jwtClaims,
  needsRenewal,
  type SignedInUser,
  signedInUserOf,
  type TokenResponse,
  type TokenSet,
  tokenSetFrom,
} from './token-set';

/** Identity behind the gateway (IDENTITY_ISSUER is the gateway's address plus /identity). */
const ISSUER_PATH = '/identity';
const TOKENS_KEY = 'dashboard.tokens';
const PENDING_KEY = 'dashboard.pending-sign-in';
export const CALLBACK_PATH = '/callback';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

type Listener = () => void;

/**
 * The signed-in person's tokens: in memory, and in sessionStorage so a reload of this tab keeps
 * the sign-in (never localStorage: other tabs and later visits do not inherit it). Access tokens
 * live minutes; when one runs out the session refreshes it if identity gave a refresh token,
 * else it signs in again with prompt=none, which identity's session answers without a form.
 */
class Session {
  private tokens: TokenSet | null = readStored<TokenSet>(TOKENS_KEY);
  private discovery?: Promise<Discovery>;
  private renewing?: Promise<string>;
  private readonly listeners = new Set<Listener>();

  get user(): SignedInUser | null {
    if (!this.tokens) return null;
    try {
      return signedInUserOf(this.tokens);
    } catch {
      return null;
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A valid access token, renewed first when it is (nearly) expired. */
  async accessToken(): Promise<string> {
    if (!this.tokens) throw new SignInRequired();
    if (!needsRenewal(this.tokens, Date.now())) return this.tokens.accessToken;
    return this.renew();
  }

  /** After a 401 or a stream closed for expiry: the token is no good, whatever its expiry says. */
  renew(): Promise<string> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  /** Leaves for identity's sign-in page; the promise never settles (the page unloads). */
  async signIn(returnTo = currentPath(), silent = false): Promise<never> {
    const { authorization_endpoint } = await this.endpoints();
    const pending: PendingSignIn = {
      state: randomUrlSafeString(),
      nonce: randomUrlSafeString(),
      codeVerifier: randomUrlSafeString(),
      returnTo,
      silent,
    };
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    location.assign(
      authorizationUrl({
        authorizationEndpoint: authorization_endpoint,
        redirectUri: redirectUri(),
        codeChallenge: await codeChallengeOf(pending.codeVerifier),
        pending,
      }),
    );
    return new Promise<never>(() => undefined);
  }

  /**
   * On /callback: redeems the code. Answers where to go next, or throws with the reason the
   * sign-in failed. A failed silent attempt falls back to the sign-in page.
   */
  async completeSignIn(search: string): Promise<string> {
    const pending = readStored<PendingSignIn>(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    const result = readCallback(search, pending);
    if (result.kind === 'not-a-callback') return '/';
    if (result.kind === 'error') {
      const interactive = ['login_required', 'consent_required', 'interaction_required'];
      if (pending?.silent && interactive.includes(result.error)) {
        return this.signIn(pending.returnTo, false);
      }
      throw new Error(result.description);
    }
    const tokens = await this.tokenRequest(
      codeExchangeBody(result.code, redirectUri(), (pending as PendingSignIn).codeVerifier),
    );
    if (tokens.idToken && !idTokenHasNonce(tokens.idToken, (pending as PendingSignIn).nonce)) {
      throw new Error('The sign-in answer was not for this page (its nonce differs).');
    }
    this.store(tokens);
    return (pending as PendingSignIn).returnTo;
  }

  /** Forgets the tokens and ends identity's session (its own page confirms the sign-out). */
  async signOut(): Promise<void> {
    const idToken = this.tokens?.idToken;
    this.store(null);
    const { end_session_endpoint } = await this.endpoints();
    if (!end_session_endpoint) return location.assign('/');
    const url = new URL(end_session_endpoint);
    url.searchParams.set('client_id', DASHBOARD_CLIENT_ID);
    if (idToken) url.searchParams.set('id_token_hint', idToken);
    location.assign(url.toString());
  }

  private async renewOnce(): Promise<string> {
    const refreshToken = this.tokens?.refreshToken;
    if (refreshToken) {
      try {
        const tokens = await this.tokenRequest(refreshBody(refreshToken));
        // A provider that does not rotate refresh tokens answers without one: keep the old.
        this.store({
          ...tokens,
          idToken: tokens.idToken ?? this.tokens?.idToken ?? null,
          refreshToken: tokens.refreshToken ?? refreshToken,
        });
        return tokens.accessToken;
      } catch {
        // A refused refresh token: sign in again, below.
      }
    }
    return this.signIn(currentPath(), true);
  }

  private async tokenRequest(body: string): Promise<TokenSet> {
    const { token_endpoint } = await this.endpoints();
    const response = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const answer = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & {
      error?: string;
      error_description?: string;
    };
    if (!response.ok) {
      throw new Error(
        answer.error_description ?? answer.error ?? `sign-in failed (${response.status})`,
      );
    }
    return tokenSetFrom(answer as TokenResponse, Date.now());
  }

  private endpoints(): Promise<Discovery> {
    this.discovery ??= fetch(`${ISSUER_PATH}/.well-known/openid-configuration`)
      .then(async (response) => {
        if (!response.ok)
          throw new Error(`the identity provider is unavailable (${response.status})`);
        const found = (await response.json()) as Discovery;
        return {
          authorization_endpoint: onPageOrigin(found.authorization_endpoint, location.origin),
          token_endpoint: onPageOrigin(found.token_endpoint, location.origin),
          ...(found.end_session_endpoint && {
            end_session_endpoint: onPageOrigin(found.end_session_endpoint, location.origin),
          }),
        };
      })
      .catch((error: unknown) => {
        this.discovery = undefined;
        throw error;
      });
    return this.discovery;
  }

  private store(tokens: TokenSet | null): void {
    this.tokens = tokens;
    if (tokens) sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    else sessionStorage.removeItem(TOKENS_KEY);
    for (const listener of this.listeners) listener();
  }
}

/** Thrown when a call needs a token and nobody is signed in. */
export class SignInRequired extends Error {
  constructor() {
    super('Sign in to continue.');
  }
}

function idTokenHasNonce(idToken: string, nonce: string): boolean {
  try {
    return jwtClaims(idToken).nonce === nonce;
  } catch {
    return false;
  }
}

function readStored<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;
const currentPath = () => `${location.pathname}${location.search}`;

export const session = new Session();
