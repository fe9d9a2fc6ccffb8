import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
} from 'jose';
import { DEMO_SERVICE_KEY_THUMBPRINTS } from './demo-service-keys';

/** Claims of a service token: who calls (`iss`), which service it is for (`aud`). */
export interface ServiceCaller {
  caller: string;
  audience: string;
}

export class ServiceTokenError extends Error {
  constructor(
    message: string,
    /**
     * `unauthenticated` → 401 (no, bad, forged or expired token); `forbidden` → 403 (a genuine
     * token, but for another service, or from a caller this route does not accept).
     */
    readonly kind: 'unauthenticated' | 'forbidden',
  ) {
    super(message);
    this.name = 'ServiceTokenError';
  }
}

export interface ServiceTokenOptions {
  /** This service's name: the issuer of the tokens it mints and the audience it accepts. */
  serviceName: string;
  /**
   * Its own private key (an Ed25519 JWK with `d` and a `kid` of `<serviceName>:<anything>`), for
   * a service that calls others. Only this service holds it, so no other service can mint a
   * token in its name.
   */
  signingKey?: JWK;
  /**
   * The public keys of the services allowed to call this one, as a JWKS. A key counts only for
   * the caller its `kid` names (`scheduler:2026-12` verifies tokens whose `iss` is `scheduler`);
   * two keys for one caller during a rotation.
   */
  trustedKeys?: JSONWebKeySet;
  /** Lifetime of minted tokens. Short, so a leaked token is soon useless. */
  ttlSeconds?: number;
  /**
   * Accept the demo keys committed in docker-compose.yml. Off by default: a service started
   * outside the demo with a key everyone can read refuses to start.
   */
  demoMode?: boolean;
}

const ALGORITHM = 'EdDSA';
const CLOCK_TOLERANCE_SECONDS = 5;

/** The service a key speaks for: the part of its `kid` before the first `:`. */
export function keyOwner(kid: string | undefined): string | undefined {
  return kid?.split(':')[0] || undefined;
}

/**
 * Mints and checks the short-lived signed tokens every internal call carries
 * (`Authorization: Bearer <jwt>`, EdDSA, `iss` = caller, `aud` = callee, 60 s by default).
 * Each service signs with its own private key; a callee verifies with the public key of the
 * caller the token claims to be, so holding one service's key lets you speak only as that service.
 * Minted tokens are cached per audience until half their lifetime has passed, so a busy caller
 * signs a few tokens a minute rather than one per request.
 */
export class ServiceTokens {
  private readonly ttlSeconds: number;
  private readonly cache = new Map<string, { token: string; refreshAt: number }>();
  private readonly signingKey?: Promise<CryptoKey | Uint8Array>;
  private readonly trusted?: JWTVerifyGetKey;

  constructor(private readonly options: ServiceTokenOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 60;
    const { signingKey, trustedKeys } = options;
    if (signingKey) {
      if (keyOwner(signingKey.kid) !== options.serviceName) {
        throw new Error(
          `the service signing key's kid must be "${options.serviceName}:<version>", not ` +
            `"${signingKey.kid ?? ''}"`,
        );
      }
      if (!signingKey.d) throw new Error('the service signing key has no private part (d)');
      this.signingKey = importJWK(signingKey, ALGORITHM);
      // Unhandled until the first tokenFor; a bad key should fail at start-up instead.
      this.signingKey.catch(() => undefined);
    }
    if (trustedKeys) this.trusted = createLocalJWKSet(trustedKeys);
  }

  /**
   * Refuses the demo keys unless demo mode is on. Awaited at start-up (ServiceTokens.create),
   * because the thumbprint is computed asynchronously.
   */
  static async create(options: ServiceTokenOptions): Promise<ServiceTokens> {
    const tokens = new ServiceTokens(options);
    await tokens.signingKey;
    if (!options.demoMode) {
      const keys = [
        ...(options.signingKey ? [publicPart(options.signingKey)] : []),
        ...(options.trustedKeys?.keys ?? []),
      ];
      for (const key of keys) {
        if (DEMO_SERVICE_KEY_THUMBPRINTS.includes(await calculateJwkThumbprint(key))) {
          throw new Error(
            `the service token key "${key.kid ?? ''}" is a demo key, published with this ` +
              'project: set keys of your own (SERVICE_TOKEN_SIGNING_KEY, ' +
              'SERVICE_TOKEN_TRUSTED_KEYS), or DEMO_MODE=true for the demo',
          );
        }
      }
    }
    return tokens;
  }

  get serviceName(): string {
    return this.options.serviceName;
  }

  async tokenFor(audience: string): Promise<string> {
    if (!this.signingKey) {
      throw new Error(`${this.options.serviceName} has no service signing key to call ${audience}`);
    }
    const cached = this.cache.get(audience);
    if (cached && cached.refreshAt > Date.now()) return cached.token;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, kid: this.options.signingKey?.kid })
      .setIssuer(this.options.serviceName)
      .setAudience(audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(await this.signingKey);
    this.cache.set(audience, { token, refreshAt: Date.now() + (this.ttlSeconds * 1000) / 2 });
    return token;
  }

  /**
   * Checks a token addressed to this service from one of `callers`; throws ServiceTokenError
   * saying why not.
   */
  async verify(token: string | undefined, callers: readonly string[]): Promise<ServiceCaller> {
    if (!token) throw new ServiceTokenError('a service token is required', 'unauthenticated');
    if (!this.trusted) {
      throw new ServiceTokenError(
        `${this.options.serviceName} trusts no service keys`,
        'unauthenticated',
      );
    }
    let payload;
    let kid: string | undefined;
    try {
      ({
        payload,
        protectedHeader: { kid },
      } = await jwtVerify(token, this.trusted, {
        algorithms: [ALGORITHM],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['iss', 'aud', 'exp', 'iat'],
      }));
    } catch (error) {
      const reason =
        error instanceof joseErrors.JWTExpired
          ? 'the service token has expired'
          : 'the service token is not valid';
      throw new ServiceTokenError(reason, 'unauthenticated');
    }
    // The key proves who signed; a token whose iss names another service is a forgery.
    if (keyOwner(kid) !== payload.iss) {
      throw new ServiceTokenError('the service token is not valid', 'unauthenticated');
    }
    // Checked after the signature: a genuine token for another service is a 403, not a 401.
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(this.options.serviceName)) {
      throw new ServiceTokenError(
        `the service token is for ${audiences.join(', ')}, not ${this.options.serviceName}`,
        'forbidden',
      );
    }
    const caller = String(payload.iss);
    if (!callers.includes(caller)) {
      throw new ServiceTokenError(`${caller} may not call this route`, 'forbidden');
    }
    return { caller, audience: this.options.serviceName };
  }
}

/** A service's key pair as JWKs: the private one for it, the public one for its callees. */
export interface ServiceKeyPair {
  privateKey: JWK;
  publicKey: JWK;
}

/** A fresh Ed25519 key pair for `service` (tests, `npm run service-keys`). */
export async function generateServiceKeyPair(
  service: string,
  version = new Date().toISOString().slice(0, 10),
): Promise<ServiceKeyPair> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = `${service}:${version}`;
  const full: JWK = { ...jwk, kid, alg: ALGORITHM, use: 'sig' };
  return { privateKey: full, publicKey: publicPart(full) };
}

/** The JWK without its private member `d`. */
function publicPart(key: JWK): JWK {
  const publicKey = { ...key };
  delete publicKey.d;
  return publicKey;
}
