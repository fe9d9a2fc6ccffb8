/**
 * PKCE (RFC 7636) with S256: the dashboard is a public client, so the code verifier, known only
 * to this tab, proves that whoever redeems the authorization code is who asked for it.
 */

/** base64url without padding (RFC 4648 §5), as PKCE and JWTs spell bytes. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random string of unreserved characters; 32 random bytes give 43 characters (the minimum). */
export function randomUrlSafeString(byteCount = 32): string {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** The code_challenge for a verifier: BASE64URL(SHA-256(ASCII(verifier))). */
export async function codeChallengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

/** RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]. */
export function isValidCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}
