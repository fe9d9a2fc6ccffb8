/** OAuth 2.0 client credentials of an API client: one client per account in the demo. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** The token endpoint said no (wrong secret, unknown client), or answered something unusable. */
export class TokenRequestError extends Error {
  constructor(
    readonly tokenUrl: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super(`The token endpoint ${tokenUrl} answered ${status}: ${reason}`);
    this.name = 'TokenRequestError';
  }
}

/** Renew this long before `expires_in` runs out, so a token never expires in flight. */
const RENEW_BEFORE_MS = 30_000;

/**
 * Access tokens by the client credentials grant (RFC 6749 §4.4), kept until shortly before they
 * expire and shared by concurrent callers (one token request at a time, not one per delivery).
 */
export class ClientCredentialsTokens {
  private current?: { token: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly tokenUrl: string,
    private readonly credentials: ClientCredentials,
    private readonly fetchToken: (url: string, init: RequestInit) => Promise<Response>,
  ) {}

  async token(): Promise<string> {
    if (this.current && this.current.renewAt > Date.now()) return this.current.token;
    this.pending ??= this.request().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The API refused the token (401): the next call gets a new one. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async request(): Promise<string> {
    const basic = Buffer.from(
      `${encodeURIComponent(this.credentials.clientId)}:${encodeURIComponent(this.credentials.clientSecret)}`,
    ).toString('base64');
    const response = await this.fetchToken(this.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    const text = await response.text();
    let body: {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not JSON: reported below with the status.
    }
    if (!response.ok || typeof body.access_token !== 'string') {
      const reason =
        [body.error, body.error_description]
          .filter((part) => typeof part === 'string')
          .join(': ') ||
        text.slice(0, 200) ||
        response.statusText;
      throw new TokenRequestError(this.tokenUrl, response.status, reason);
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 60) * 1_000;
    this.current = {
      token: body.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - RENEW_BEFORE_MS, lifetimeMs / 2),
    };
    return body.access_token;
  }
}
