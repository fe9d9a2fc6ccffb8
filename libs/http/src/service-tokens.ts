import { randomUUID } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';

/** Claims of a service token: who calls (`iss`), which service it is for (`aud`). */
export interface ServiceCaller {
  caller: string;
  audience: string;
}

export class ServiceTokenError extends Error {
  constructor(
    message: string,
    /** `unauthenticated` → 401 (no, bad, forged or expired token); `forbidden` → 403 (wrong audience). */
    readonly kind: 'unauthenticated' | 'forbidden',
  ) {
    super(message);
    this.name = 'ServiceTokenError';
  }
}

export interface ServiceTokenOptions {
  /** This service's name: the issuer of the tokens it mints and the audience it accepts. */
  serviceName: string;
  /** Shared HMAC secret, at least 32 bytes. In production, a secret store supplies it. */
  secret: string;
  /** Lifetime of minted tokens. Short, so a leaked token is soon useless. */
  ttlSeconds?: number;
}

const ALGORITHM = 'HS256';
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Mints and checks the short-lived signed tokens every internal call carries
 * (`Authorization: Bearer <jwt>`, HS256, `iss` = caller, `aud` = callee, 60 s by default).
 * Minted tokens are cached per audience until half their lifetime has passed, so a busy caller
 * signs a few tokens a minute rather than one per request.
 */
export class ServiceTokens {
  private readonly key: Uint8Array;
  private readonly ttlSeconds: number;
  private readonly cache = new Map<string, { token: string; refreshAt: number }>();

  constructor(private readonly options: ServiceTokenOptions) {
    if (Buffer.byteLength(options.secret) < 32) {
      throw new Error('SERVICE_TOKEN_SECRET must be at least 32 bytes long');
    }
    this.key = new TextEncoder().encode(options.secret);
    this.ttlSeconds = options.ttlSeconds ?? 60;
  }

  get serviceName(): string {
    return this.options.serviceName;
  }

  async tokenFor(audience: string): Promise<string> {
    const cached = this.cache.get(audience);
    if (cached && cached.refreshAt > Date.now()) return cached.token;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(this.options.serviceName)
      .setAudience(audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
    this.cache.set(audience, { token, refreshAt: Date.now() + (this.ttlSeconds * 1000) / 2 });
    return token;
  }

  /** Checks a token addressed to this service; throws ServiceTokenError saying why not. */
  async verify(token: string | undefined): Promise<ServiceCaller> {
    if (!token) throw new ServiceTokenError('a service token is required', 'unauthenticated');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
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
    // Checked after the signature: a genuine token for another service is a 403, not a 401.
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(this.options.serviceName)) {
      throw new ServiceTokenError(
        `the service token is for ${audiences.join(', ')}, not ${this.options.serviceName}`,
        'forbidden',
      );
    }
    return { caller: String(payload.iss), audience: this.options.serviceName };
  }
}
