import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export interface TestTokenClaims {
  /** A customer's account; omit it, with `operator: true`, for an operator. */
  accountId?: string;
  operator?: boolean;
  subject?: string;
  /** Overrides, to forge what the verifier must refuse: another `aud`, `iss`, a past `exp`. */
  audience?: string;
  issuer?: string;
  expiresInSeconds?: number;
  scope?: string;
  extra?: JWTPayload;
}

export interface TestIssuer {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** AUTH_ISSUER, AUTH_JWKS_URL and AUTH_AUDIENCE for a service's environment. */
  env: Record<string, string>;
  /** A token as the identity provider would issue it (ES256, from the published key). */
  tokenFor(claims: TestTokenClaims): Promise<string>;
  /** `Authorization` header value for a customer of `accountId` (or an operator). */
  bearer(claims: TestTokenClaims): Promise<string>;
  /** A token signed with a key the JWKS does not publish: a forgery. */
  forgedToken(claims: TestTokenClaims): Promise<string>;
  stop(): Promise<void>;
}

const AUDIENCE = 'api-gateway';
type SigningKey = Parameters<SignJWT['sign']>[0];

/**
 * An OAuth issuer for service tests that do not run apps/identity: a real ES256 key, its JWKS
 * served over HTTP, and tokens with the claims identity puts in them (`scope`, `account_id`).
 * Services verify them exactly as they verify identity's. The gateway's tests use identity itself.
 */
export async function startTestIssuer(): Promise<TestIssuer> {
  const kid = randomUUID();
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const forger = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((request, response) => {
    if (request.url === '/jwks') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/test-issuer`;

  const sign = (claims: TestTokenClaims, key: SigningKey) => {
    const scope = claims.scope ?? (claims.operator ? 'operator' : 'customer');
    return new SignJWT({
      scope,
      ...(claims.accountId && { account_id: claims.accountId }),
      ...claims.extra,
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(claims.issuer ?? issuer)
      .setAudience(claims.audience ?? AUDIENCE)
      .setSubject(claims.subject ?? `test-client-${claims.accountId ?? 'operator'}`)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresInSeconds ?? 300))
      .sign(key);
  };
  const tokenFor = (claims: TestTokenClaims) => sign(claims, privateKey);

  return {
    issuer,
    audience: AUDIENCE,
    jwksUrl: `${base}/jwks`,
    env: { AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${base}/jwks`, AUTH_AUDIENCE: AUDIENCE },
    tokenFor,
    bearer: async (claims) => `Bearer ${await tokenFor(claims)}`,
    forgedToken: (claims) => sign(claims, forger.privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
