import { generateKeyPairSync } from 'node:crypto';
import { type JSONWebKeySet, type JWK } from 'jose';

/**
 * Service-token keys for tests: a fresh Ed25519 pair per service and test process, made on first
 * use (synchronously, so a spec can use them in constants). Nothing here is a published key:
 * services under test run outside demo mode, as in production.
 */
const pairs = new Map<string, { privateKey: JWK; publicKey: JWK }>();

function pairOf(service: string, version: string): { privateKey: JWK; publicKey: JWK } {
  const id = `${service}:${version}`;
  let pair = pairs.get(id);
  if (!pair) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk: JWK = { ...privateKey.export({ format: 'jwk' }), kid: id, alg: 'EdDSA', use: 'sig' };
    const publicKey = { ...jwk };
    delete publicKey.d;
    pair = { privateKey: jwk, publicKey };
    pairs.set(id, pair);
  }
  return pair;
}

/** The private key `service` signs its service tokens with. */
export function testSigningKey(service = 'scheduler'): JWK {
  return pairOf(service, 'test').privateKey;
}

/**
 * A key that claims to be `service`'s but is in no service's trusted set: what a forger who
 * does not hold the real key would sign with.
 */
export function untrustedSigningKey(service = 'scheduler'): JWK {
  return pairOf(service, 'forged').privateKey;
}

/** The JWKS a callee trusts: the public keys of `callers`. */
export function testTrustedKeys(callers: readonly string[] = ['scheduler']): JSONWebKeySet {
  return { keys: callers.map((caller) => pairOf(caller, 'test').publicKey) };
}

/**
 * The service-token settings of a service under test: its own signing key when it calls
 * others (the scheduler), and the scheduler's public key, which every internal route trusts.
 */
export function serviceTokenEnv(service?: string): Record<string, string> {
  return {
    ...(service ? { SERVICE_TOKEN_SIGNING_KEY: JSON.stringify(testSigningKey(service)) } : {}),
    SERVICE_TOKEN_TRUSTED_KEYS: JSON.stringify(testTrustedKeys()),
  };
}
