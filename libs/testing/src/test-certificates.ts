import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PEM file written for a test: its text (for clients) and its path (for settings). */
export interface PemFile {
  pem: string;
  file: string;
}

export interface TestCertificates {
  /** The test CA's certificate: what a client pins. */
  ca: PemFile;
  /** A server (and client) certificate for the names asked for, signed by the CA. */
  cert: PemFile;
  /** Its private key, PKCS#8, unencrypted (as Postgres and Kafka's PEM keystore read it). */
  key: PemFile;
  /** The certificate and key in one file, as Kafka's PEM keystore wants them. */
  keyAndCert: PemFile;
  /** Another CA, which signed nothing here: a client pinning it must refuse the server. */
  otherCa: PemFile;
  remove(): Promise<void>;
}

export interface TestCertificateNames {
  /** Default `localhost`. */
  dnsNames?: string[];
  /** Default `127.0.0.1`. */
  ipAddresses?: string[];
}

/**
 * A throwaway CA and a certificate it signs for the given names, made with the openssl command
 * line (Node's crypto cannot issue X.509 certificates), valid for a day, in a temporary folder.
 */
export async function createTestCertificates(
  names: TestCertificateNames = {},
): Promise<TestCertificates> {
  const dir = await mkdtemp(path.join(tmpdir(), 'test-tls-'));
  const at = (name: string) => path.join(dir, name);
  const sans = [
    ...(names.dnsNames ?? ['localhost']).map((name) => `DNS:${name}`),
    ...(names.ipAddresses ?? ['127.0.0.1']).map((address) => `IP:${address}`),
  ];
  await Promise.all([selfSignedCa(at('ca'), 'Test CA'), selfSignedCa(at('other-ca'), 'Other CA')]);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.crt'),
    '-days',
    '1',
    '-subj',
    `/CN=${sans[0].replace(/^\w+:/, '')}`,
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-addext',
    `subjectAltName=${sans.join(',')}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth,clientAuth',
  ]);
  const read = async (name: string): Promise<PemFile> => ({
    pem: await readFile(at(name), 'utf8'),
    file: at(name),
  });
  const [ca, cert, key, otherCa] = await Promise.all(
    ['ca.crt', 'server.crt', 'server.key', 'other-ca.crt'].map(read),
  );
  await writeFile(at('server.pem'), key.pem + cert.pem);
  return {
    ca,
    cert,
    key,
    keyAndCert: await read('server.pem'),
    otherCa,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function selfSignedCa(prefix: string, commonName: string): Promise<void> {
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${prefix}.key`,
    '-out',
    `${prefix}.crt`,
    '-days',
    '1',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}
