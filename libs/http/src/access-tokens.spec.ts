/**
 * AccessTokenVerifier against a real JWKS served over HTTP: what it accepts, what it refuses
 * and with which code (401, 403 or 503).
 */
import { SignJWT, UnsecuredJWT } from 'jose';
import { startTestIssuer, type TestIssuer } from '@drone-delivery/testing';
import { AccessTokenVerifier, mayAccessAccount } from './access-tokens';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const OTHER_ACCOUNT = '22222222-2222-4222-8222-222222222222';

describe('AccessTokenVerifier', () => {
  let issuer: TestIssuer;
  let verifier: AccessTokenVerifier;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    verifier = new AccessTokenVerifier({
      issuer: issuer.issuer,
      audience: issuer.audience,
      jwksUrl: issuer.jwksUrl,
    });
  });
  afterAll(() => issuer.stop());

  it('reads a customer: its account, not an operator', async () => {
    const caller = await verifier.verify(await issuer.tokenFor({ accountId: ACCOUNT }));
    expect(caller).toMatchObject({ accountId: ACCOUNT, operator: false, scopes: ['customer'] });
    expect(mayAccessAccount(caller, ACCOUNT)).toBe(true);
    expect(mayAccessAccount(caller, OTHER_ACCOUNT)).toBe(false);
    expect(mayAccessAccount(caller, null)).toBe(false);
  });

  it('reads an operator, who may access every account', async () => {
    const caller = await verifier.verify(await issuer.tokenFor({ operator: true }));
    expect(caller).toMatchObject({ accountId: null, operator: true });
    expect(mayAccessAccount(caller, OTHER_ACCOUNT)).toBe(true);
  });

  it.each<[string, () => Promise<string | undefined>, RegExp]>([
    ['no token', () => Promise.resolve(undefined), /required/],
    [
      'an expired one',
      () => issuer.tokenFor({ accountId: ACCOUNT, expiresInSeconds: -60 }),
      /expired/,
    ],
    [
      'one for another audience',
      () => issuer.tokenFor({ accountId: ACCOUNT, audience: 'billing' }),
      /aud/,
    ],
    [
      'one from another issuer',
      () => issuer.tokenFor({ accountId: ACCOUNT, issuer: 'http://evil.example' }),
      /iss/,
    ],
    [
      'one signed with an unpublished key',
      () => issuer.forgedToken({ accountId: ACCOUNT }),
      /not valid/,
    ],
    [
      'an unsigned one (alg: none)',
      () =>
        Promise.resolve(
          new UnsecuredJWT({ scope: 'operator' })
            .setIssuer(issuer.issuer)
            .setAudience(issuer.audience)
            .setSubject('x')
            .setIssuedAt()
            .setExpirationTime('5m')
            .encode(),
        ),
      /not valid|algorithm/,
    ],
    [
      'one signed with a shared secret (HS256)',
      () =>
        new SignJWT({ scope: 'operator' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(issuer.issuer)
          .setAudience(issuer.audience)
          .setSubject('x')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough')),
      /algorithm/,
    ],
    ['garbage', () => Promise.resolve('not.a.jwt'), /not valid/],
  ])('refuses %s as invalid_token', async (_, token, message) => {
    await expect(verifier.verify(await token())).rejects.toMatchObject({
      code: 'invalid_token',
      message: expect.stringMatching(message) as unknown,
    });
  });

  it('refuses a customer token without an account as insufficient_scope', async () => {
    await expect(verifier.verify(await issuer.tokenFor({}))).rejects.toMatchObject({
      code: 'insufficient_scope',
    });
    await expect(
      verifier.verify(await issuer.tokenFor({ accountId: 'not-a-uuid' })),
    ).rejects.toMatchObject({ code: 'insufficient_scope' });
  });

  it('says unavailable, not invalid, when the keys cannot be fetched', async () => {
    const away = await startTestIssuer();
    const token = await away.tokenFor({ accountId: ACCOUNT });
    const orphan = new AccessTokenVerifier({
      issuer: away.issuer,
      audience: away.audience,
      jwksUrl: away.jwksUrl,
    });
    await away.stop();
    await expect(orphan.verify(token)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
