/**
 * TLS to Postgres as the services set it up: DATABASE_URL with sslmode=verify-full and
 * DATABASE_CA_FILE, against a server of this file's own that admits TLS connections only, with
 * a certificate from a CA made for the test and made out to `localhost` alone.
 */
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  createTestCertificates,
  startTlsPostgres,
  type StartedTlsPostgres,
  type TestCertificates,
} from '@drone-delivery/testing';
import { postgresOptions, runMigrations } from '../src';

class CreateNotes1732240000000 implements MigrationInterface {
  name = 'CreateNotes1732240000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE notes (id integer PRIMARY KEY)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notes');
  }
}

describe('TLS to Postgres (sslmode=verify-full)', () => {
  let certificates: TestCertificates;
  let server: StartedTlsPostgres;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    certificates = await createTestCertificates({ dnsNames: ['localhost'], ipAddresses: [] });
    server = await startTlsPostgres(certificates);
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(dataSources.map((dataSource) => dataSource.destroy()));
    await server?.container.stop();
    await certificates?.remove();
  });

  const url = (host: string, query: string) =>
    `postgres://test:test@${host}:${server.port}/postgres${query}`;

  function dataSource(databaseUrl: string, caFile?: string): DataSource {
    const created = new DataSource(
      postgresOptions({
        url: databaseUrl,
        caFile,
        applicationName: 'tls-test',
        entities: [],
        migrations: [CreateNotes1732240000000],
      }),
    );
    dataSources.push(created);
    return created;
  }

  it('connects over TLS with the CA pinned, migrations included', async () => {
    const database = dataSource(url('localhost', '?sslmode=verify-full'), certificates.ca.file);
    await database.initialize();
    await runMigrations(database);
    const [session] = await database.query<{ ssl: boolean; version: string }[]>(
      'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    expect(session.ssl).toBe(true);
    expect(session.version).toMatch(/^TLSv1\.[23]$/);
    expect(await database.query('SELECT count(*)::int AS notes FROM notes')).toEqual([
      { notes: 0 },
    ]);
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const database = dataSource(
      url('localhost', '?sslmode=verify-full'),
      certificates.otherCa.file,
    );
    await expect(database.initialize()).rejects.toThrow(/unable to verify the first certificate/);
  });

  it('refuses a server whose certificate does not name the host asked for (verify-full)', async () => {
    // Same server, same CA, reached by its address: the certificate names `localhost` only.
    const database = dataSource(url('127.0.0.1', '?sslmode=verify-full'), certificates.ca.file);
    await expect(database.initialize()).rejects.toThrow(/does not match certificate's altnames/);
  });

  it('is refused by a TLS-only server when the URL asks for no TLS', async () => {
    const database = dataSource(url('localhost', ''));
    await expect(database.initialize()).rejects.toThrow(/no pg_hba\.conf entry .*no encryption/);
  });
});
