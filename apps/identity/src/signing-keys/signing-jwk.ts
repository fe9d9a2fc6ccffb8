import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash,
  type JsonWebKey,
  sign,
  verify,
} from 'node:crypto';

/** The algorithms access tokens may be signed with: what AccessTokenVerifier accepts. */
export type SigningAlgorithm = 'ES256' | 'EdDSA';

/** A private signing key as a JWK, with the `kid`, `alg` and `use` the JWKS publishes. */
export interface SigningJwk {
  kty: 'EC' | 'OKP';
  crv: 'P-256' | 'Ed25519';
  x: string;
  y?: string;
  d: string;
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
}

/**
 * Reads `IDENTITY_SIGNING_KEYS`: a JWKS of private ES256 (P-256) or EdDSA (Ed25519) keys.
 * Throws saying what is wrong, in words an operator can act on. A key without `kid` gets its
 * RFC 7638 thumbprint, so the same key always has the same id.
 */
export function parseSigningJwks(text: string): SigningJwk[] {
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch {
    throw new Error('must be a JSON Web Key Set: {"keys": [...]}');
  }
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new Error('must be a JSON Web Key Set with at least one key: {"keys": [...]}');
  }
  const parsed = keys.map((key, index) => toSigningJwk(key, index));
  const kids = new Set(parsed.map((key) => key.kid));
  if (kids.size !== parsed.length) throw new Error('two keys have the same kid');
  return parsed;
}

/** A new ES256 key, for an issuer given no keys of its own. */
export function generateSigningKey(): SigningJwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return toSigningJwk(privateKey.export({ format: 'jwk' }), 0);
}

function toSigningJwk(input: unknown, index: number): SigningJwk {
  const key = (typeof input === 'object' && input !== null ? input : {}) as JsonWebKey & {
    kid?: unknown;
    alg?: unknown;
    use?: unknown;
  };
  const where = `key ${index + 1}`;
  const alg = algorithmOf(key);
  if (!alg) {
    throw new Error(`${where} must be an EC P-256 (ES256) or OKP Ed25519 (EdDSA) key`);
  }
  if (key.alg !== undefined && key.alg !== alg) {
    throw new Error(`${where} has an alg that does not fit its curve: it must be ${alg}`);
  }
  if (key.use !== undefined && key.use !== 'sig') throw new Error(`${where} must be for use "sig"`);
  if (typeof key.d !== 'string') {
    throw new Error(`${where} has no private part ("d"): the issuer signs with it`);
  }
  if (!privateMatchesPublic(key)) {
    throw new Error(`${where} is not a valid private key, or its "d" does not match its "x"`);
  }
  if (key.kid !== undefined && (typeof key.kid !== 'string' || key.kid.length === 0)) {
    throw new Error(`${where} has a kid that is not a non-empty string`);
  }
  const material =
    key.kty === 'EC'
      ? { kty: 'EC' as const, crv: 'P-256' as const, x: key.x!, y: key.y!, d: key.d }
      : { kty: 'OKP' as const, crv: 'Ed25519' as const, x: key.x!, d: key.d };
  return { ...material, kid: key.kid ?? thumbprint(material), alg, use: 'sig' };
}

/**
 * A "d" that is not the private half of "x" (and "y") would sign tokens nobody can verify: sign
 * a probe with the one and verify it with the other. (Node takes a JWK's public half as given.)
 */
function privateMatchesPublic(key: JsonWebKey): boolean {
  try {
    const privateKey = createPrivateKey({ key, format: 'jwk' });
    const publicHalf = { ...key };
    delete publicHalf.d;
    const publicKey = createPublicKey({ key: publicHalf, format: 'jwk' });
    const probe = Buffer.from('identity signing key probe');
    return verify(null, probe, publicKey, sign(null, probe, privateKey));
  } catch {
    return false;
  }
}

function algorithmOf(key: JsonWebKey): SigningAlgorithm | undefined {
  if (key.kty === 'EC' && key.crv === 'P-256') return 'ES256';
  if (key.kty === 'OKP' && key.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}

/** RFC 7638: SHA-256 of the required public members, in lexicographic order. */
function thumbprint(key: { kty: string; crv: string; x: string; y?: string }): string {
  const members =
    key.kty === 'EC'
      ? { crv: key.crv, kty: key.kty, x: key.x, y: key.y }
      : { crv: key.crv, kty: key.kty, x: key.x };
  return hash('sha256', JSON.stringify(members), 'base64url');
}
