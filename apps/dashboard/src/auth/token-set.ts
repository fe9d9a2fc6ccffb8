/** What the dashboard keeps of a sign-in: the tokens and who they are for. */
export interface TokenSet {
  accessToken: string;
  idToken: string | null;
  /** Only when the identity provider issues one (the dashboard client allows the grant). */
  refreshToken: string | null;
  /** Epoch milliseconds after which the access token is refused. */
  expiresAt: number;
}

export type Role = 'customer' | 'operator';

/** The person behind a token set, as the UI needs it. */
export interface SignedInUser {
  role: Role;
  /** A customer's account; null for an operator, who acts for every account. */
  accountId: string | null;
  /** From the ID token; the subject id when it carries none. */
  displayName: string;
  subject: string;
}

/** The token endpoint's answer (RFC 6749 §5.1, plus the OpenID Connect id_token). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  id_token?: string;
  refresh_token?: string;
}

/** A token set from the token endpoint's answer, received at `now`. */
export function tokenSetFrom(response: TokenResponse, now: number): TokenSet {
  if (typeof response.access_token !== 'string' || response.access_token === '') {
    throw new Error('The identity provider answered without an access token.');
  }
  const lifetimeSeconds =
    typeof response.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : 300;
  return {
    accessToken: response.access_token,
    idToken: response.id_token ?? null,
    refreshToken: response.refresh_token ?? null,
    expiresAt: now + lifetimeSeconds * 1000,
  };
}

/**
 * A JWT's claims, unverified. The dashboard reads its own tokens only to label the UI (role,
 * account, name); the gateway verifies every token it receives, so nothing here is trusted.
 */
export function jwtClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof claims !== 'object' || claims === null) throw new Error('not a JWT');
  return claims as Record<string, unknown>;
}

/** Who signed in: the operator scope wins; a customer token names its account. */
export function signedInUserOf(tokens: TokenSet): SignedInUser {
  const access = jwtClaims(tokens.accessToken);
  const scopes = typeof access.scope === 'string' ? access.scope.split(' ') : [];
  const role: Role = scopes.includes('operator') ? 'operator' : 'customer';
  const accountId = typeof access.account_id === 'string' ? access.account_id : null;
  const subject = typeof access.sub === 'string' ? access.sub : '';
  let email: string | null = null;
  if (tokens.idToken) {
    const idClaims = jwtClaims(tokens.idToken);
    email = typeof idClaims.email === 'string' ? idClaims.email : null;
  }
  return {
    role,
    accountId: role === 'operator' ? null : accountId,
    displayName: email ?? subject,
    subject,
  };
}

/** True when the access token should be replaced: expired, or within `marginMs` of it. */
export function needsRenewal(tokens: TokenSet, now: number, marginMs = 20_000): boolean {
  return tokens.expiresAt - marginMs <= now;
}
