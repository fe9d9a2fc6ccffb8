import { base64UrlEncode, codeChallengeOf, isValidCodeVerifier, randomUrlSafeString } from './pkce';

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    // The verifier and challenge printed in RFC 7636, appendix B.
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    await expect(codeChallengeOf(verifier)).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers that the specification accepts, a new one each time', () => {
    const first = randomUrlSafeString();
    const second = randomUrlSafeString();
    expect(isValidCodeVerifier(first)).toBe(true);
    expect(first).toHaveLength(43);
    expect(second).not.toBe(first);
  });

  it('rejects verifiers that are too short or hold other characters', () => {
    expect(isValidCodeVerifier('short')).toBe(false);
    expect(isValidCodeVerifier(`${'a'.repeat(42)}=`)).toBe(false);
    expect(isValidCodeVerifier('a'.repeat(129))).toBe(false);
  });

  it('encodes bytes as base64url without padding', () => {
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
    expect(base64UrlEncode(new Uint8Array([0x61]))).toBe('YQ');
  });
});
