import { postgresTls } from './postgres-tls';

const URL_BASE = 'postgres://app:secret@db.internal:5432/app';

describe('postgresTls', () => {
  it('is plain text unless the URL asks for verify-full', () => {
    expect(postgresTls(URL_BASE)).toEqual({ url: URL_BASE, ssl: false });
    expect(postgresTls(`${URL_BASE}?sslmode=disable`).ssl).toBe(false);
  });

  it('turns sslmode=verify-full into TLS options, with the CA file read, and keeps the rest', () => {
    const tls = postgresTls(`${URL_BASE}?application_name=x&sslmode=verify-full`, __filename);
    // node-postgres would let a URL's sslmode replace the options given beside it.
    expect(tls.url).toBe(`${URL_BASE}?application_name=x`);
    expect(tls.ssl).toEqual({
      rejectUnauthorized: true,
      ca: expect.stringContaining('postgresTls'),
    });
    expect(postgresTls(`${URL_BASE}?sslmode=verify-full`).ssl).toEqual({
      rejectUnauthorized: true,
    });
  });

  it.each(['require', 'verify-ca', 'prefer', 'allow'])(
    'refuses sslmode=%s, which does not check the host name',
    (mode) => {
      expect(() => postgresTls(`${URL_BASE}?sslmode=${mode}`)).toThrow(
        `DATABASE_URL: sslmode=${mode} is not supported: use sslmode=verify-full (or disable)`,
      );
    },
  );

  it.each(['sslrootcert=/ca.pem', 'ssl=true', 'sslcert=/c.pem', 'uselibpqcompat=true'])(
    'refuses the other TLS parameters node-postgres would apply over the options (%s)',
    (parameter) => {
      expect(() => postgresTls(`${URL_BASE}?sslmode=verify-full&${parameter}`)).toThrow(
        /is not supported in the URL: use sslmode=verify-full and DATABASE_CA_FILE/,
      );
    },
  );

  it('refuses a CA file that would be ignored', () => {
    expect(() => postgresTls(URL_BASE, __filename)).toThrow(
      'DATABASE_CA_FILE is set, but DATABASE_URL does not ask for sslmode=verify-full',
    );
  });
});
