import {
  authorizationUrl,
  codeExchangeBody,
  onPageOrigin,
  type PendingSignIn,
  readCallback,
} from './authorization-request';

const pending: PendingSignIn = {
  state: 'state-1',
  nonce: 'nonce-1',
  codeVerifier: 'v'.repeat(43),
  returnTo: '/deliveries/1',
  silent: false,
};

describe('authorizationUrl', () => {
  it('asks for a code with an S256 challenge, for the dashboard client and both API scopes', () => {
    const url = new URL(
      authorizationUrl({
        authorizationEndpoint: 'http://localhost:8080/identity/auth',
        redirectUri: 'http://localhost:8080/callback',
        codeChallenge: 'challenge',
        pending,
      }),
    );
    expect(url.origin + url.pathname).toBe('http://localhost:8080/identity/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'dashboard',
      redirect_uri: 'http://localhost:8080/callback',
      scope: 'openid email customer operator',
      state: 'state-1',
      nonce: 'nonce-1',
      code_challenge: 'challenge',
      code_challenge_method: 'S256',
    });
  });

  it('adds prompt=none for a silent renewal', () => {
    const url = new URL(
      authorizationUrl({
        authorizationEndpoint: 'http://localhost:8080/identity/auth',
        redirectUri: 'http://localhost:8080/callback',
        codeChallenge: 'challenge',
        pending: { ...pending, silent: true },
      }),
    );
    expect(url.searchParams.get('prompt')).toBe('none');
  });
});

describe('readCallback', () => {
  it('takes the code when the state is the one this tab sent', () => {
    expect(readCallback('?code=abc&state=state-1', pending)).toEqual({ kind: 'code', code: 'abc' });
  });

  it('refuses a code for a sign-in this tab did not start', () => {
    expect(readCallback('?code=abc&state=other', pending)).toMatchObject({
      kind: 'error',
      error: 'state_mismatch',
    });
    expect(readCallback('?code=abc&state=state-1', null)).toMatchObject({ kind: 'error' });
  });

  it("passes the identity provider's error on, in its words", () => {
    expect(
      readCallback(
        '?error=access_denied&error_description=The+person+said+no&state=state-1',
        pending,
      ),
    ).toEqual({ kind: 'error', error: 'access_denied', description: 'The person said no' });
  });

  it('tells a plain visit of /callback apart', () => {
    expect(readCallback('', pending)).toEqual({ kind: 'not-a-callback' });
  });
});

describe('the token request', () => {
  it('sends the verifier with the code', () => {
    expect(
      Object.fromEntries(new URLSearchParams(codeExchangeBody('abc', 'http://x/callback', 'ver'))),
    ).toEqual({
      grant_type: 'authorization_code',
      code: 'abc',
      redirect_uri: 'http://x/callback',
      client_id: 'dashboard',
      code_verifier: 'ver',
    });
  });

  it("moves identity's endpoints onto the page's origin, path and query kept", () => {
    expect(onPageOrigin('http://127.0.0.1:8080/identity/token?x=1', 'https://demo.example')).toBe(
      'https://demo.example/identity/token?x=1',
    );
  });
});
