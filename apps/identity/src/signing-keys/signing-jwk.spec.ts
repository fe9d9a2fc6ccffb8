import { generateKeyPairSync } from 'node:crypto';
import { generateSigningKey, parseSigningJwks } from './signing-jwk';

function jwks(...keys: unknown[]): string {
  return JSON.stringify({ keys });
}

const ecKey = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const edKey = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });

describe('parseSigningJwks', () => {
  it('reads ES256 and EdDSA private keys in order, with their algorithm and use', () => {
    const keys = parseSigningJwks(jwks({ ...ecKey(), kid: 'a' }, { ...edKey(), kid: 'b' }));

    expect(keys.map(({ kid, alg, use }) => ({ kid, alg, use }))).toEqual([
      { kid: 'a', alg: 'ES256', use: 'sig' },
      { kid: 'b', alg: 'EdDSA', use: 'sig' },
    ]);
  });

  it('gives a key without kid its RFC 7638 thumbprint, the same every time', () => {
    const key = ecKey();

    const [first] = parseSigningJwks(jwks(key));
    const [again] = parseSigningJwks(jwks(key));

    expect(first.kid).toMatch(/^[\w-]{43}$/);
    expect(again.kid).toBe(first.kid);
  });

  it.each([
    ['not JSON', '{keys', /JSON Web Key Set/],
    ['an empty set', jwks(), /at least one key/],
    ['a public key only', jwks({ ...ecKey(), d: undefined }), /key 1 has no private part/],
    [
      'an RSA key',
      jwks(
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
      ),
      /key 1 must be an EC P-256 \(ES256\) or OKP Ed25519 \(EdDSA\) key/,
    ],
    ['an alg that does not fit', jwks({ ...ecKey(), alg: 'EdDSA' }), /must be ES256/],
    [
      'a broken key',
      jwks({ ...ecKey(), d: 'AAAA' }),
      /key 1 is not a valid private key, or its "d" does not match its "x"/,
    ],
    ['two keys with one kid', jwks({ ...ecKey(), kid: 'k' }, { ...ecKey(), kid: 'k' }), /same kid/],
  ])('refuses %s, saying why', (_case, text, reason) => {
    expect(() => parseSigningJwks(text)).toThrow(reason);
  });
});

describe('generateSigningKey', () => {
  it('makes a new ES256 private key each time', () => {
    const [one, two] = [generateSigningKey(), generateSigningKey()];

    expect(one).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(typeof one.d).toBe('string');
    expect(two.kid).not.toBe(one.kid);
  });
});
