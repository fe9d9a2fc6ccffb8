import { readFileSync } from 'node:fs';
import { type TlsOptions } from 'node:tls';

/** The sslmode values a DATABASE_URL may carry: no TLS, or TLS checking the CA and host name. */
export const POSTGRES_SSL_MODES = ['disable', 'verify-full'] as const;

/**
 * TLS settings node-postgres reads from a connection string. It lets them override whatever
 * TLS options the pool is given, so TLS is set in one way only: sslmode plus a CA file.
 */
const OTHER_TLS_PARAMETERS = [
  'ssl',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'sslnegotiation',
  'uselibpqcompat',
];

/** Why a Postgres URL's TLS settings are refused, or undefined when they are fine. */
export function postgresTlsProblem(url: string): string | undefined {
  let parameters: URLSearchParams;
  try {
    parameters = new URL(url).searchParams;
  } catch {
    return 'is not a URL';
  }
  const mode = parameters.get('sslmode');
  if (mode !== null && !(POSTGRES_SSL_MODES as readonly string[]).includes(mode)) {
    // libpq's prefer and allow fall back to plain text; require and verify-ca accept a server
    // certificate made out to any host.
    return `sslmode=${mode} is not supported: use sslmode=verify-full (or disable)`;
  }
  const other = OTHER_TLS_PARAMETERS.find((name) => parameters.has(name));
  return other === undefined
    ? undefined
    : `${other} is not supported in the URL: use sslmode=verify-full and DATABASE_CA_FILE`;
}

export interface PostgresTls {
  /** The URL without sslmode, which node-postgres would otherwise read over `ssl`. */
  url: string;
  /** false: plain text. Otherwise Node's defaults check the chain and the host name. */
  ssl: false | TlsOptions;
}

/**
 * The pool's TLS options from the URL's sslmode and, for a private CA, a PEM file of the CA's
 * certificate (without one, Node's bundled CAs are trusted).
 */
export function postgresTls(url: string, caFile?: string): PostgresTls {
  const problem = postgresTlsProblem(url);
  if (problem) throw new Error(`DATABASE_URL: ${problem}`);
  const parsed = new URL(url);
  const verifyFull = parsed.searchParams.get('sslmode') === 'verify-full';
  if (caFile !== undefined && !verifyFull) {
    throw new Error(
      'DATABASE_CA_FILE is set, but DATABASE_URL does not ask for sslmode=verify-full',
    );
  }
  if (!verifyFull) return { url, ssl: false };
  parsed.searchParams.delete('sslmode');
  return {
    url: parsed.toString(),
    ssl: {
      rejectUnauthorized: true,
      ...(caFile !== undefined && { ca: readFileSync(caFile, 'utf8') }),
    },
  };
}
