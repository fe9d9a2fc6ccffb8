import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { uniqueName } from './unique-name';
import { waitFor } from './wait-for';

export interface TestDatabase {
  name: string;
  /** Connection URL of the new, empty database. */
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: run the tests through Jest with the workspace preset, whose ' +
        'global setup provides it (see libs/testing/README.md).',
    );
  }
  return url;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database on the test server, so each test file starts from an empty schema. It gets a
 * role of its own with a random password, as each service has in production (services refuse a
 * password that is the role's name outside DEMO_MODE), so `url` logs in as that role, the owner.
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const base = serverUrl();
  const name = uniqueName(prefix);
  const password = randomBytes(18).toString('base64url');
  await withClient(base, async (client) => {
    await client.query(`CREATE ROLE "${name}" LOGIN PASSWORD '${password}'`);
    await client.query(`CREATE DATABASE "${name}" OWNER "${name}"`);
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  url.username = name;
  url.password = password;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(base, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.query(`DROP ROLE IF EXISTS "${name}"`);
      }),
  };
}

export async function waitForPostgres(url: string, timeoutMs: number): Promise<void> {
  await waitFor(() => withClient(url, (client) => client.query('SELECT 1')).then(() => true), {
    timeoutMs,
    intervalMs: 250,
    description: `Postgres at ${new URL(url).host}`,
  });
}
