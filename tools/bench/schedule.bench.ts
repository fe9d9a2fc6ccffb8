/**
 * `npm run bench:schedule`: POST /api/v1/deliveries through the real five services, at a fixed
 * rate and at the maximum rate, next to a bare chain of plain Node HTTP servers making the same
 * four downstream calls per request. Prints requests/s, p50/p99 latency and error counts.
 *
 * Needs a Postgres and a Kafka the bench may create databases and topics on (the compose ones
 * with docker-compose.dev.yml):
 *   DATABASE_URL=postgres://postgres:postgres@localhost:5433/postgres KAFKA_BROKERS=localhost:9094 \
 *     npm run bench:schedule
 * Requests carry a customer's access token (from a test issuer), as through the gateway.
 * Options (environment): BENCH_REQUESTS per run (default 400), BENCH_RATE (fixed rate, default
 * 50/s), BENCH_CONNECTIONS (default 16). Every successful schedule books a drone, so the runs
 * together stay below the fleet (1000 drones): no run measures fast "no drone" 503s instead.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { DEMO_ACCOUNTS } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  serviceTokenEnv,
} from '@drone-delivery/testing';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const FLEET_SIZE = 1000;
const RATE = Number(process.env.BENCH_RATE ?? 50);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
// The account is the token's (see `bearer` below).
const BODY = JSON.stringify({
  pickup: { lat: 47.61, lng: -122.33 },
  dropoff: { lat: 47.65, lng: -122.3 },
  package: { size: 'small', weightKg: 1.2 },
});

interface Row {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
}

async function load(
  scenario: string,
  url: string,
  options: { rate?: number; amount?: number; bearer: string },
): Promise<Row> {
  const amount = options.amount ?? REQUESTS;
  process.stderr.write(`  ${scenario}: ${amount} requests …\n`);
  const result = await autocannon({
    url: `${url}/api/v1/deliveries`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: options.bearer },
    body: BODY,
    connections: options.rate ? Math.min(CONNECTIONS, options.rate) : CONNECTIONS,
    amount,
    ...(options.rate && { overallRate: options.rate }),
  });
  return {
    scenario,
    // Completed requests over the run's wall time (autocannon's per-second average rounds short runs).
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The same shape of work with nothing in it: one front server, four sequential JSON hops. */
async function startBareChain(): Promise<{ url: string; close(): Promise<void> }> {
  const listen = (server: Server) =>
    new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const leaves = Array.from({ length: 4 }, () =>
    createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      });
    }),
  );
  const leafPorts = await Promise.all(leaves.map(listen));
  const front = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      void (async () => {
        for (const port of leafPorts) {
          const hop = await fetch(`http://127.0.0.1:${port}/`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body,
          });
          await hop.json();
        }
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end('{"deliveryId":"x"}');
      })();
    });
  });
  const frontPort = await listen(front);
  return {
    url: `http://127.0.0.1:${frontPort}`,
    close: async () => {
      await Promise.all(
        [front, ...leaves].map((server) => new Promise((resolve) => server.close(resolve))),
      );
    },
  };
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.error(
      'Set DATABASE_URL to a Postgres superuser URL, e.g. with `docker compose up -d postgres`:\n' +
        '  DATABASE_URL=postgres://postgres:postgres@localhost:5433/postgres npm run bench:schedule',
    );
    process.exit(2);
  }
  // Tokens as identity issues them, from a key of the bench's own (the services check them).
  const issuer = await startTestIssuer();
  const databases: TestDatabase[] = [];
  const services: ServiceProcess[] = [];
  const start = async (app: string, env: Record<string, string> = {}) => {
    const database = await createTestDatabase(`bench_${app.replace('-', '_')}`);
    databases.push(database);
    process.stderr.write(`starting ${app}\n`);
    const service = await startServiceProcess({
      app,
      env: {
        DATABASE_URL: database.url,
        ...serviceTokenEnv('scheduler'),
        LOG_LEVEL: 'warn',
        ...issuer.env,
        ...env,
      },
    });
    services.push(service);
    return service;
  };
  try {
    const [accounts, packages, drones, deliveries] = await Promise.all([
      start('accounts'),
      start('package'),
      // Every successful schedule keeps a drone busy: a fleet larger than the runs can book.
      start('drone-management', {
        FLEET_SIZE: String(FLEET_SIZE),
        // Drones stay booked: the bench measures scheduling, not flying.
        SIMULATOR_ENABLED: 'false',
        KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? 'localhost:9094',
      }),
      start('delivery', {
        KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? 'localhost:9094',
        // Every delivery of the bench stays in flight: the quota is not what is measured.
        DELIVERY_QUOTA_IN_FLIGHT: String(FLEET_SIZE),
      }),
    ]);
    const scheduler = await start('scheduler', {
      ACCOUNTS_URL: accounts.url,
      PACKAGE_URL: packages.url,
      DRONE_MANAGEMENT_URL: drones.url,
      DELIVERY_URL: deliveries.url,
    });
    const bearer = await issuer.bearer({
      accountId: DEMO_ACCOUNTS.active.accountId,
      expiresInSeconds: 3_600,
    });
    const bare = await startBareChain();
    process.stderr.write('warming up\n');
    await load('warm-up', scheduler.url, { rate: 20, amount: 40, bearer });
    if (40 + 2 * REQUESTS > FLEET_SIZE)
      throw new Error(`BENCH_REQUESTS must stay below ${(FLEET_SIZE - 40) / 2}`);

    const rows = [
      await load(`scheduler, fixed ${RATE}/s`, scheduler.url, { rate: RATE, bearer }),
      await load('scheduler, max rate', scheduler.url, { bearer }),
      await load(`bare chain, fixed ${RATE}/s`, bare.url, { rate: RATE, bearer }),
      await load('bare chain, max rate', bare.url, { bearer }),
    ];
    await bare.close();
    console.log(
      `\nPOST /api/v1/deliveries, ${REQUESTS} requests per run, ${CONNECTIONS} connections at max rate, ` +
        'four downstream hops per request\n',
    );
    console.table(rows);
    const [, schedulerMax, , bareMax] = rows;
    console.log(
      `scheduler max rate = ${((schedulerMax.requestsPerSecond / bareMax.requestsPerSecond) * 100).toFixed(1)}% of the bare chain's`,
    );
  } finally {
    await Promise.allSettled(services.map((service) => service.stop()));
    await Promise.allSettled(databases.map((database) => database.drop()));
    await issuer.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
