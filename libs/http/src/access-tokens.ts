import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';

/**
 * Who calls a public route, as the identity provider's access token says. The gateway verifies
 * the token and passes it on unchanged; every service verifies it again, so ownership holds even
 * for a request that did not come through the gateway.
 */
export interface Caller {
  /** `sub`: the OAuth client (client credentials) or the person (authorization code). */
  subject: string;
  /** The account a customer acts for; null for an operator without one. */
  accountId: string | null;
  /** Operator scope: sees and acts on every account. */
  operator: boolean;
  scopes: string[];
  /** When the token expires: a long-lived connection (the live stream) ends then. */
  expiresAt: Date;
}

/** The scopes a token may carry: a customer acts for one account, an operator for all. */
export const CUSTOMER_SCOPE = 'customer';
export const OPERATOR_SCOPE = 'operator';
/** The claim naming a customer's account (a UUID). */
export const ACCOUNT_ID_CLAIM = 'account_id';

export class AccessTokenError extends Error {
  constructor(
    message: string,
    /**
     * `invalid_token` → 401 (missing, forged, expired, wrong issuer or audience);
     * `insufficient_scope` → 403; `unavailable` → 503 (the issuer's keys could not be fetched:
     * not the client's fault, and worth a retry).
     */
    readonly code: 'invalid_token' | 'insufficient_scope' | 'unavailable',
  ) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

export interface AccessTokenOptions {
  /** The issuer the tokens must name (`iss`), e.g. `http://localhost:8080/identity`. */
  issuer: string;
  /** The audience they must be for (`aud`): the public API behind the gateway. */
  audience: string;
  /** Where the issuer publishes its public keys; fetched on demand and cached by jose. */
  jwksUrl?: string;
  /** Or the keys themselves (tests, a JWKS mounted from a secret). */
  jwks?: JSONWebKeySet;
}

/** Asymmetric only: a token signed with a shared secret, or `alg: none`, is never accepted. */
const ALGORITHMS = ['ES256', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks the bearer tokens of public routes against the issuer's JWKS. A key that is not in the
 * cached set makes jose fetch the set again (at most every 30 s), so a rotated-in key is picked
 * up without a restart, and tokens signed by the old key verify while the issuer still lists it.
 */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: AccessTokenOptions) {
    if (options.jwks) this.keys = createLocalJWKSet(options.jwks);
    else if (options.jwksUrl) this.keys = createRemoteJWKSet(new URL(options.jwksUrl));
    else throw new Error('AccessTokenVerifier needs jwksUrl or jwks');
  }

  /** The caller a token names; throws AccessTokenError saying why not. */
  async verify(token: string | undefined): Promise<Caller> {
    if (!token) throw new AccessTokenError('an access token is required', 'invalid_token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      throw toAccessTokenError(error);
    }
    return callerOf(payload);
  }
}

function callerOf(payload: JWTPayload): Caller {
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  const claimed = payload[ACCOUNT_ID_CLAIM];
  const accountId =
    typeof claimed === 'string' && UUID.test(claimed) ? claimed.toLowerCase() : null;
  const operator = scopes.includes(OPERATOR_SCOPE);
  if (!operator && !(scopes.includes(CUSTOMER_SCOPE) && accountId !== null)) {
    throw new AccessTokenError(
      `the token needs the ${OPERATOR_SCOPE} scope, or the ${CUSTOMER_SCOPE} scope and an account`,
      'insufficient_scope',
    );
  }
  return {
    subject: String(payload.sub),
    accountId,
    operator,
    scopes,
    expiresAt: new Date((payload.exp as number) * 1_000),
  };
}

function toAccessTokenError(error: unknown): AccessTokenError {
  if (error instanceof joseErrors.JWTExpired) {
    return new AccessTokenError('the access token has expired', 'invalid_token');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new AccessTokenError(
      `the access token's ${error.claim} claim is not accepted here`,
      'invalid_token',
    );
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new AccessTokenError(
      'the access token is not signed with an accepted algorithm',
      'invalid_token',
    );
  }
  // A timeout, or a fetch that failed before any answer: the issuer is away, the token may be fine.
  const jwksUnreachable =
    error instanceof joseErrors.JWKSTimeout ||
    // The plain JOSEError is what jose throws for a JWKS answer that is not 200 or not JSON.
    (error instanceof Error && error.constructor === joseErrors.JOSEError) ||
    // fetch's own TypeError; by name, as it may come from another realm (Jest's sandbox).
    ((error as Error | undefined)?.name === 'TypeError' &&
      (error as Error).message === 'fetch failed');
  if (jwksUnreachable) {
    return new AccessTokenError("the identity provider's keys could not be fetched", 'unavailable');
  }
  return new AccessTokenError('the access token is not valid', 'invalid_token');
}

/** May this caller see or act on a record of `accountId`? An operator may; a customer, its own. */
export function mayAccessAccount(caller: Caller, accountId: string | null | undefined): boolean {
  if (caller.operator) return true;
  return (
    accountId !== null && accountId !== undefined && accountId.toLowerCase() === caller.accountId
  );
}
