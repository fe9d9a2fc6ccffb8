import {
  type ClientCredentials,
  ClientCredentialsTokens,
  retryAfterMs,
} from '@drone-delivery/demo-traffic';

/** An answer, or status 0 when none came (refused connection, timeout, no token to send). */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

const NO_ANSWER = (): ApiAnswer => ({ status: 0, headers: new Headers(), body: undefined });

/**
 * The public API as the chaos load calls it: through the gateway, with a client-credentials token
 * of the customer, every answer returned as it came (the load decides what to retry), none thrown.
 */
export class ChaosApi {
  private readonly tokens: ClientCredentialsTokens;

  constructor(
    readonly gatewayUrl: string,
    credentials: ClientCredentials,
    private readonly timeoutMs = 30_000,
  ) {
    this.tokens = new ClientCredentialsTokens(
      `${gatewayUrl}/identity/token`,
      credentials,
      (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(10_000) }),
    );
  }

  async call(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> {
    for (let attempt = 1; ; attempt++) {
      let token: string;
      try {
        token = await this.tokens.token();
      } catch {
        return NO_ANSWER();
      }
      let response: Response;
      try {
        response = await fetch(new URL(path, this.gatewayUrl), {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(options.body !== undefined && { 'content-type': 'application/json' }),
            ...options.headers,
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch {
        return NO_ANSWER();
      }
      // A token may expire (or identity's key change) on the way: a new one, once.
      if (response.status === 401 && attempt === 1) {
        await response.body?.cancel();
        this.tokens.invalidate(token);
        continue;
      }
      const text = await response.text().catch(() => '');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: kept as text.
      }
      return { status: response.status, headers: response.headers, body };
    }
  }
}

/** What the answer's Retry-After asks to wait, or the fallback. */
export function retryAfterOf(answer: ApiAnswer, fallbackMs = 1_000): number {
  return retryAfterMs(answer.headers.get('retry-after')) ?? fallbackMs;
}
