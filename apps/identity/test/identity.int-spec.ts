import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { Client } from 'pg';
import { DEMO_ACCOUNTS, DEMO_CLIENTS } from '@drone-delivery/contracts';
import { AccessTokenVerifier, type Caller } from '@drone-delivery/http';
import {
  createTestDatabase,
  freePort,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  waitFor,
} from '@drone-delivery/testing';
import { DEMO_USERS } from '../src/users/demo-users';
import { BrowserSession, formAction } from './browser-session';

/** apps/identity as a real process on its own database, called as clients and browsers call it. */

const AUDIENCE = 'api-gateway';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const COOKIE_KEYS = 'identity-int-spec-cookie-key-0123456789abcdef';
const CUSTOMER = { email: 'customer@contoso.example', password: 'contoso-demo' };
const OPERATOR = { email: 'operator@drone-delivery.example', password: 'operator-demo' };

interface Identity {
  process: ServiceProcess;
  url: string;
  issuer: string;
}

interface TokenAnswer {
  status: number;
  body: {
    access_token?: string;
    id_token?: string;
    refresh_token?: string;
    scope?: string;
    token_type?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  wwwAuthenticate: string | null;
}

interface Jwks {
  keys: Record<string, unknown>[];
}

/** The issuer's port is chosen first, so IDENTITY_ISSUER can name the process's own address. */
async function startIdentity(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<Identity> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const issuer = env.IDENTITY_ISSUER ?? `${url}/identity`;
  const process = await startServiceProcess({
    app: 'identity',
    port,
    env: {
      DATABASE_URL: database.url,
      IDENTITY_ISSUER: issuer,
      IDENTITY_COOKIE_KEYS: COOKIE_KEYS,
      DASHBOARD_REDIRECT_URIS: REDIRECT_URI,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  return { process, url, issuer };
}

async function requestToken(
  identity: Identity,
  form: Record<string, string>,
  basic?: { clientId: string; secret: string },
): Promise<TokenAnswer> {
  const headers: Record<string, string> = {};
  if (basic) {
    headers.authorization = `Basic ${Buffer.from(`${basic.clientId}:${basic.secret}`).toString('base64')}`;
  }
  const response = await fetch(`${identity.url}/identity/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  });
  return {
    status: response.status,
    body: (await response.json()) as TokenAnswer['body'],
    wwwAuthenticate: response.headers.get('www-authenticate'),
  };
}

function clientCredentials(
  identity: Identity,
  client: { clientId: string; clientSecret: string },
  extra: Record<string, string> = {},
): Promise<TokenAnswer> {
  return requestToken(
    identity,
    { grant_type: 'client_credentials', ...extra },
    { clientId: client.clientId, secret: client.clientSecret },
  );
}

/** Verifies as the gateway and every public service do: against the JWKS, iss and aud checked. */
function verifyAsTheApi(token: string | undefined, jwksOf: Identity, issuer = jwksOf.issuer) {
  return new AccessTokenVerifier({
    issuer,
    audience: AUDIENCE,
    jwksUrl: `${jwksOf.url}/identity/jwks`,
  }).verify(token);
}

async function jwksOf(identity: Identity): Promise<Jwks> {
  return (await (await fetch(`${identity.url}/identity/jwks`)).json()) as Jwks;
}

async function query<T>(database: TestDatabase, sql: string, values: unknown[] = []): Promise<T[]> {
  const db = new Client({ connectionString: database.url });
  await db.connect();
  try {
    return (await db.query(sql, values)).rows as T[];
  } finally {
    await db.end();
  }
}

/** A private signing key as IDENTITY_SIGNING_KEYS holds it. */
function privateJwk(kind: 'ES256' | 'EdDSA', kid: string): Record<string, unknown> {
  const { privateKey } =
    kind === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('ed25519');
  return { ...privateKey.export({ format: 'jwk' }), kid };
}

function signingKeysEnv(...keys: Record<string, unknown>[]): Record<string, string> {
  return { IDENTITY_SIGNING_KEYS: JSON.stringify({ keys }) };
}

describe('identity', () => {
  let database: TestDatabase;
  let identity: Identity;

  beforeAll(async () => {
    database = await createTestDatabase('identity');
    identity = await startIdentity(database, { IDENTITY_PRUNE_INTERVAL_SECONDS: '1' });
  });

  afterAll(async () => {
    await identity?.process.stop();
    await database?.drop();
  });

  describe('client credentials', () => {
    it("issues contoso-pharmacy an ES256 JWT (at+jwt) the API accepts as its account's customer", async () => {
      const answer = await clientCredentials(identity, DEMO_CLIENTS.active);

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        token_type: 'Bearer',
        scope: 'customer',
        expires_in: 300,
      });
      expect(decodeProtectedHeader(answer.body.access_token!)).toMatchObject({
        alg: 'ES256',
        typ: 'at+jwt',
      });
      const claims = decodeJwt(answer.body.access_token!);
      expect(claims.exp! - claims.iat!).toBe(300);
      expect(claims).toMatchObject({
        iss: identity.issuer,
        aud: AUDIENCE,
        client_id: 'contoso-pharmacy',
      });
      await expect(verifyAsTheApi(answer.body.access_token, identity)).resolves.toEqual<Caller>({
        subject: DEMO_CLIENTS.active.clientId,
        accountId: DEMO_ACCOUNTS.active.accountId,
        operator: false,
        scopes: ['customer'],
        expiresAt: expect.any(Date) as Date,
      });
    });

    it('takes the client secret in the body too (client_secret_post)', async () => {
      const answer = await requestToken(identity, {
        grant_type: 'client_credentials',
        client_id: DEMO_CLIENTS.active.clientId,
        client_secret: DEMO_CLIENTS.active.clientSecret,
      });

      expect(answer.status).toBe(200);
      expect((await verifyAsTheApi(answer.body.access_token, identity)).accountId).toBe(
        DEMO_ACCOUNTS.active.accountId,
      );
    });

    it('gives fabrikam-florist, whose account is suspended, a token for its own account', async () => {
      const answer = await clientCredentials(identity, DEMO_CLIENTS.suspended);

      expect(answer.status).toBe(200);
      const caller = await verifyAsTheApi(answer.body.access_token, identity);
      expect(caller).toMatchObject({
        accountId: DEMO_ACCOUNTS.suspended.accountId,
        operator: false,
      });
    });

    it('gives operator-console an operator token, without an account', async () => {
      const answer = await clientCredentials(identity, DEMO_CLIENTS.operator);

      expect(answer.status).toBe(200);
      expect(answer.body.scope).toBe('operator');
      await expect(verifyAsTheApi(answer.body.access_token, identity)).resolves.toEqual<Caller>({
        subject: DEMO_CLIENTS.operator.clientId,
        accountId: null,
        operator: true,
        scopes: ['operator'],
        expiresAt: expect.any(Date) as Date,
      });
    });

    it('refuses a customer client asking for the operator scope (invalid_scope)', async () => {
      const answer = await clientCredentials(identity, DEMO_CLIENTS.active, { scope: 'operator' });

      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_scope');
      expect(answer.body.access_token).toBeUndefined();
    });

    it('grants a customer client the customer scope it asks for by name', async () => {
      const answer = await clientCredentials(identity, DEMO_CLIENTS.active, { scope: 'customer' });

      expect(answer.status).toBe(200);
      expect(answer.body.scope).toBe('customer');
    });

    it('answers 401 invalid_client for a wrong secret', async () => {
      const answer = await clientCredentials(identity, {
        clientId: DEMO_CLIENTS.active.clientId,
        clientSecret: 'not-the-secret',
      });

      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('invalid_client');
      expect(answer.wwwAuthenticate).toMatch(/^Basic /);
    });

    it('answers 401 invalid_client for an unknown client', async () => {
      const answer = await clientCredentials(identity, {
        clientId: 'nobody',
        clientSecret: 'whatever',
      });

      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('invalid_client');
    });

    it('refuses a resource other than the API (invalid_target)', async () => {
      const answer = await clientCredentials(identity, DEMO_CLIENTS.active, {
        resource: 'urn:somewhere:else',
      });

      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_target');
    });

    it('answers 400 invalid_request, not 500, for a request without grant_type', async () => {
      const answer = await requestToken(
        identity,
        {},
        { clientId: DEMO_CLIENTS.active.clientId, secret: DEMO_CLIENTS.active.clientSecret },
      );

      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
    });
  });

  describe('authorization code + PKCE (the dashboard)', () => {
    interface SignIn {
      browser: BrowserSession;
      verifier: string;
      state: string;
    }

    function startSignIn(): { signIn: SignIn; authorizeUrl: string } {
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(8).toString('hex');
      const authorizeUrl = `${identity.url}/identity/auth?${new URLSearchParams({
        client_id: 'dashboard',
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid email customer operator',
        state,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString()}`;
      return {
        signIn: { browser: new BrowserSession(REDIRECT_URI), verifier, state },
        authorizeUrl,
      };
    }

    /** authorize → sign in → allow → the code, as the dashboard's callback receives it. */
    async function signInFor(person: { email: string; password: string }) {
      const { signIn, authorizeUrl } = startSignIn();
      const login = await signIn.browser.visit(authorizeUrl);
      const consent = await signIn.browser.submit(formAction(login), person);
      expect(consent.html).toContain('Allow access');
      const callback = await signIn.browser.submit(formAction(consent), { decision: 'allow' });
      const params = new URL(callback.url).searchParams;
      expect(params.get('state')).toBe(signIn.state);
      return { ...signIn, code: params.get('code')! };
    }

    function exchange(code: string, verifier: string): Promise<TokenAnswer> {
      return requestToken(identity, {
        grant_type: 'authorization_code',
        client_id: 'dashboard',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      });
    }

    it('shows an accessible sign-in page: labelled email and password fields', async () => {
      const { signIn, authorizeUrl } = startSignIn();

      const login = await signIn.browser.visit(authorizeUrl);

      expect(login.status).toBe(200);
      expect(login.url).toMatch(/\/identity\/interaction\/[\w-]+$/);
      expect(login.html).toContain('<label for="email">Email</label>');
      expect(login.html).toMatch(/<input id="email" name="email" type="email"/);
      expect(login.html).toContain('<label for="password">Password</label>');
      expect(login.html).toMatch(/<input id="password" name="password" type="password"/);
    });

    it('signs a customer in: the access token names the person, the customer scope and the account', async () => {
      const { code, verifier } = await signInFor(CUSTOMER);

      const answer = await exchange(code, verifier);

      expect(answer.status).toBe(200);
      expect(answer.body.scope).toBe('customer');
      expect(decodeProtectedHeader(answer.body.access_token!)).toMatchObject({
        alg: 'ES256',
        typ: 'at+jwt',
      });
      const caller = await verifyAsTheApi(answer.body.access_token, identity);
      expect(caller).toEqual<Caller>({
        subject: DEMO_USERS.customer.id,
        accountId: DEMO_ACCOUNTS.active.accountId,
        operator: false,
        scopes: ['customer'],
        expiresAt: expect.any(Date) as Date,
      });
      // The ID token tells the dashboard who signed in; its `sub` is the access token's.
      expect(decodeJwt(answer.body.id_token!)).toMatchObject({
        sub: caller.subject,
        email: CUSTOMER.email,
        aud: 'dashboard',
        iss: identity.issuer,
      });
    });

    it('signs an operator in: the access token has the operator scope and no account', async () => {
      const { code, verifier } = await signInFor(OPERATOR);

      const answer = await exchange(code, verifier);

      expect(answer.status).toBe(200);
      expect(answer.body.scope).toBe('operator');
      const caller = await verifyAsTheApi(answer.body.access_token, identity);
      expect(caller).toMatchObject({ accountId: null, operator: true, scopes: ['operator'] });
    });

    it('shows the sign-in page again, with the error, for a wrong password; the right one then works', async () => {
      const { signIn, authorizeUrl } = startSignIn();
      const login = await signIn.browser.visit(authorizeUrl);

      const retry = await signIn.browser.submit(formAction(login), {
        email: CUSTOMER.email,
        password: 'not-the-password',
      });

      expect(retry.status).toBe(200);
      expect(retry.url).toBe(formAction(login));
      expect(retry.html).toMatch(
        /<p class="error" id="login-error" role="alert">The email or password is not right/,
      );
      expect(retry.html).toContain(`value="${CUSTOMER.email}"`);
      const consent = await signIn.browser.submit(formAction(retry), CUSTOMER);
      expect(consent.html).toContain('Allow access');
    });

    it('refuses the code without the right code_verifier (invalid_grant); the right one then works', async () => {
      const { code, verifier } = await signInFor(CUSTOMER);

      const wrong = await exchange(code, randomBytes(32).toString('base64url'));
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe('invalid_grant');
      expect(wrong.body.access_token).toBeUndefined();

      const right = await exchange(code, verifier);
      expect(right.status).toBe(200);
    });

    it('renews the access token with a refresh token that rotates: the used one is refused after', async () => {
      const { code, verifier } = await signInFor(CUSTOMER);
      const first = await exchange(code, verifier);
      expect(first.status).toBe(200);
      expect(first.body.refresh_token).toEqual(expect.any(String));

      const refresh = (token: string) =>
        requestToken(identity, {
          grant_type: 'refresh_token',
          client_id: 'dashboard',
          refresh_token: token,
        });
      const renewed = await refresh(first.body.refresh_token!);
      expect(renewed.status).toBe(200);
      expect(renewed.body.refresh_token).toEqual(expect.any(String));
      expect(renewed.body.refresh_token).not.toBe(first.body.refresh_token);
      const caller = await verifyAsTheApi(renewed.body.access_token, identity);
      expect(caller).toMatchObject({
        subject: DEMO_USERS.customer.id,
        accountId: DEMO_ACCOUNTS.active.accountId,
        scopes: ['customer'],
      });

      // Rotation: a refresh token stolen after its use is worth nothing.
      const replayed = await refresh(first.body.refresh_token!);
      expect(replayed.status).toBe(400);
      expect(replayed.body.error).toBe('invalid_grant');
    });

    it('refuses an authorization request without PKCE, back at the redirect URI', async () => {
      const browser = new BrowserSession(REDIRECT_URI);
      const callback = await browser.visit(
        `${identity.url}/identity/auth?${new URLSearchParams({
          client_id: 'dashboard',
          response_type: 'code',
          redirect_uri: REDIRECT_URI,
          scope: 'openid customer',
          state: 'no-pkce',
        }).toString()}`,
      );

      const params = new URL(callback.url).searchParams;
      expect(params.get('error')).toBe('invalid_request');
      expect(params.get('code')).toBeNull();
    });

    it('sends the person back with access_denied when they deny access', async () => {
      const { signIn, authorizeUrl } = startSignIn();
      const login = await signIn.browser.visit(authorizeUrl);
      const consent = await signIn.browser.submit(formAction(login), CUSTOMER);

      const callback = await signIn.browser.submit(formAction(consent), { decision: 'deny' });

      const params = new URL(callback.url).searchParams;
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('code')).toBeNull();
    });

    it('answers a sign-in page that does not exist with a clear page, not a 500', async () => {
      const response = await fetch(`${identity.url}/identity/interaction/no-such-sign-in`);

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toContain('This sign-in has expired');
    });
  });

  it('publishes a discovery document naming its issuer and its JWKS', async () => {
    const response = await fetch(`${identity.url}/identity/.well-known/openid-configuration`);
    const discovery = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(discovery).toMatchObject({
      issuer: identity.issuer,
      jwks_uri: `${identity.url}/identity/jwks`,
      token_endpoint: `${identity.url}/identity/token`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(['client_credentials', 'authorization_code']),
    );
  });

  it("counts the provider's requests by endpoint in /metrics, not as unmatched", async () => {
    await clientCredentials(identity, DEMO_CLIENTS.active);

    const metrics = await (await fetch(`${identity.url}/metrics`)).text();

    expect(metrics).toMatch(
      /http_server_request_duration_seconds_count\{service="identity",method="POST",route="\/identity\/token",status_code="200"\} [1-9]/,
    );
  });

  it('deletes expired sign-in records from its database', async () => {
    await query(
      database,
      `INSERT INTO oidc_payloads (model, id, payload, expires_at)
       VALUES ('Session', 'expired-session', '{}', now() - interval '1 minute'),
              ('Session', 'live-session', '{}', now() + interval '1 hour')`,
    );

    await waitFor(
      async () =>
        (await query(database, `SELECT 1 FROM oidc_payloads WHERE id = 'expired-session'`))
          .length === 0,
      { description: 'the expired session to be pruned' },
    );
    expect(await query(database, `SELECT id FROM oidc_payloads WHERE id = 'live-session'`)).toEqual(
      [{ id: 'live-session' }],
    );
  });
});

describe('identity signing keys', () => {
  let database: TestDatabase;
  const started: Identity[] = [];

  beforeEach(async () => {
    database = await createTestDatabase('identity_keys');
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((identity) => identity.process.stop()));
    await database?.drop();
  });

  async function start(env: Record<string, string> = {}): Promise<Identity> {
    const identity = await startIdentity(database, env);
    started.push(identity);
    return identity;
  }

  it('publishes every configured key, public parts only, and signs with the first', async () => {
    const first = privateJwk('EdDSA', 'key-first');
    const second = privateJwk('ES256', 'key-second');
    const identity = await start(signingKeysEnv(first, second));

    const jwks = await jwksOf(identity);
    expect(jwks.keys.map((key) => key.kid)).toEqual(['key-first', 'key-second']);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: first.x, alg: 'EdDSA' });
    expect(jwks.keys[1]).toMatchObject({ kty: 'EC', crv: 'P-256', x: second.x, y: second.y });

    const answer = await clientCredentials(identity, DEMO_CLIENTS.active);
    expect(decodeProtectedHeader(answer.body.access_token!)).toMatchObject({
      alg: 'EdDSA',
      kid: 'key-first',
      typ: 'at+jwt',
    });
    expect((await verifyAsTheApi(answer.body.access_token, identity)).accountId).toBe(
      DEMO_ACCOUNTS.active.accountId,
    );
  });

  it('rotates without downtime: a token signed with the old key verifies once the new key signs', async () => {
    const oldKey = privateJwk('ES256', 'key-old');
    const newKey = privateJwk('ES256', 'key-new');
    const issuer = 'http://localhost:8080/identity';
    const before = await start({ ...signingKeysEnv(oldKey), IDENTITY_ISSUER: issuer });
    const oldToken = (await clientCredentials(before, DEMO_CLIENTS.active)).body.access_token;
    await before.process.stop();

    const after = await start({ ...signingKeysEnv(newKey, oldKey), IDENTITY_ISSUER: issuer });

    expect((await verifyAsTheApi(oldToken, after, issuer)).accountId).toBe(
      DEMO_ACCOUNTS.active.accountId,
    );
    const newToken = (await clientCredentials(after, DEMO_CLIENTS.active)).body.access_token;
    expect(decodeProtectedHeader(newToken!).kid).toBe('key-new');
    expect((await verifyAsTheApi(newToken, after, issuer)).accountId).toBe(
      DEMO_ACCOUNTS.active.accountId,
    );
  });

  it('without IDENTITY_SIGNING_KEYS, two replicas starting together on one database share one generated key', async () => {
    const issuer = 'http://localhost:8080/identity';
    const [one, two] = await Promise.all([
      start({ IDENTITY_ISSUER: issuer }),
      start({ IDENTITY_ISSUER: issuer }),
    ]);

    const [keysOfOne, keysOfTwo] = await Promise.all([jwksOf(one), jwksOf(two)]);
    expect(keysOfOne.keys).toHaveLength(1);
    expect(keysOfOne).toEqual(keysOfTwo);
    expect(keysOfOne.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(keysOfOne.keys[0]).not.toHaveProperty('d');
    expect(await query(database, 'SELECT kid FROM signing_keys')).toHaveLength(1);
    // What one replica signs, the other's keys verify.
    const token = (await clientCredentials(one, DEMO_CLIENTS.operator)).body.access_token;
    expect((await verifyAsTheApi(token, two, issuer)).operator).toBe(true);
  });

  it('refuses to start with a key set that has no private part, saying why', async () => {
    const publicOnly = privateJwk('ES256', 'key-public');
    delete publicOnly.d;

    const starting = startIdentity(database, signingKeysEnv(publicOnly)).then((identity) => {
      started.push(identity);
      return identity;
    });

    await expect(starting).rejects.toThrow(/IDENTITY_SIGNING_KEYS: key 1 has no private part/);
  });

  it('seeds no demo clients when IDENTITY_DEMO_SEED is false, but still registers the dashboard', async () => {
    await start({ IDENTITY_DEMO_SEED: 'false' });

    const answer = await clientCredentials(started[0], DEMO_CLIENTS.active);
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
    expect(await query(database, 'SELECT client_id FROM clients')).toEqual([
      { client_id: 'dashboard' },
    ]);
    expect(await query(database, 'SELECT email FROM users')).toEqual([]);
  });
});
