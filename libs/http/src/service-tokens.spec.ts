import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JSONWebKeySet, type JWK, SignJWT, importJWK } from 'jose';
import { testSigningKey, testTrustedKeys, untrustedSigningKey } from '@drone-delivery/testing';
import { generateServiceKeyPair, ServiceTokenError, ServiceTokens } from './service-tokens';

const scheduler = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
const delivery = new ServiceTokens({
  serviceName: 'delivery',
  trustedKeys: testTrustedKeys(['scheduler', 'delivery-history']),
});

async function refusal(token: string | undefined, callers = ['scheduler']): Promise<unknown> {
  return delivery.verify(token, callers).then(
    () => 'accepted',
    (error: unknown) =>
      error instanceof ServiceTokenError ? `${error.kind}: ${error.message}` : error,
  );
}

describe('service tokens', () => {
  it('accepts a token the scheduler signed for this service, naming the caller', async () => {
    await expect(
      delivery.verify(await scheduler.tokenFor('delivery'), ['scheduler']),
    ).resolves.toEqual({ caller: 'scheduler', audience: 'delivery' });
  });

  it('refuses a token signed with a key no callee trusts', async () => {
    const forger = new ServiceTokens({
      serviceName: 'scheduler',
      signingKey: untrustedSigningKey(),
    });
    expect(await refusal(await forger.tokenFor('delivery'))).toBe(
      'unauthenticated: the service token is not valid',
    );
  });

  it("refuses a service that signs with its own key but claims another's name", async () => {
    // delivery-history's genuine key, trusted for delivery-history only, with iss = scheduler.
    const key = testSigningKey('delivery-history');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
      .setIssuer('scheduler')
      .setAudience('delivery')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(await importJWK(key, 'EdDSA'));
    expect(await refusal(token)).toBe('unauthenticated: the service token is not valid');
  });

  it('refuses an HS256 token made with the old shared secret', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('scheduler')
      .setAudience('delivery')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(new TextEncoder().encode('dev-only-service-token-secret-change-me'));
    expect(await refusal(token)).toBe('unauthenticated: the service token is not valid');
  });

  it('refuses a genuine caller the route does not name, and a token for another service', async () => {
    const history = new ServiceTokens({
      serviceName: 'delivery-history',
      signingKey: testSigningKey('delivery-history'),
    });
    expect(await refusal(await history.tokenFor('delivery'))).toBe(
      'forbidden: delivery-history may not call this route',
    );
    expect(await refusal(await scheduler.tokenFor('package'))).toBe(
      'forbidden: the service token is for package, not delivery',
    );
    // A route that names no callers accepts none.
    expect(await refusal(await scheduler.tokenFor('delivery'), [])).toBe(
      'forbidden: scheduler may not call this route',
    );
  });

  it('refuses a missing or expired token', async () => {
    const expired = new ServiceTokens({
      serviceName: 'scheduler',
      signingKey: testSigningKey(),
      ttlSeconds: -60,
    });
    expect(await refusal(undefined)).toBe('unauthenticated: a service token is required');
    expect(await refusal(await expired.tokenFor('delivery'))).toBe(
      'unauthenticated: the service token has expired',
    );
  });

  it('will not sign in the name of a service its key is not for', () => {
    expect(
      () => new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey('package') }),
    ).toThrow(/kid must be "scheduler:<version>"/);
  });

  describe('the demo keys published in docker-compose.yml', () => {
    const compose = readFileSync(join(__dirname, '../../../docker-compose.yml'), 'utf8');
    const setting = (name: string): string => {
      const value = new RegExp(`${name}: '([^']+)'`).exec(compose)?.[1];
      if (!value) throw new Error(`${name} not found in docker-compose.yml`);
      return value;
    };
    const signingKey = JSON.parse(setting('SERVICE_TOKEN_SIGNING_KEY')) as JWK;
    const trustedKeys = JSON.parse(setting('SERVICE_TOKEN_TRUSTED_KEYS')) as JSONWebKeySet;

    it('are refused outside demo mode, as a signing key and as trusted keys', async () => {
      await expect(ServiceTokens.create({ serviceName: 'scheduler', signingKey })).rejects.toThrow(
        /"scheduler:demo" is a demo key/,
      );
      await expect(ServiceTokens.create({ serviceName: 'delivery', trustedKeys })).rejects.toThrow(
        /is a demo key/,
      );
    });

    it('work in demo mode', async () => {
      const signer = await ServiceTokens.create({
        serviceName: 'scheduler',
        signingKey,
        demoMode: true,
      });
      const verifier = await ServiceTokens.create({
        serviceName: 'delivery',
        trustedKeys,
        demoMode: true,
      });
      await expect(
        verifier.verify(await signer.tokenFor('delivery'), ['scheduler']),
      ).resolves.toMatchObject({ caller: 'scheduler' });
    });

    it('are the only keys refused', async () => {
      const own = await generateServiceKeyPair('scheduler');
      await expect(
        ServiceTokens.create({ serviceName: 'scheduler', signingKey: own.privateKey }),
      ).resolves.toBeInstanceOf(ServiceTokens);
    });
  });
});
