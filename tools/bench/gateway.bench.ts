/**
 * `npm run bench:gateway`: the gateway's overhead, measured side by side in one run. The same
 * read, `GET /api/v1/deliveries/{id}` with a bearer token, straight to delivery and through
 * api-gateway (token check, two rate-limit buckets in Postgres, forwarding): time-based runs,
 * the same connections, each after a warm-up. Prints requests/s and p50/p99 latency for both.
 *
 * Needs a Postgres and a Kafka the bench may create databases and topics on, e.g. the compose
 * ones (docker compose -f docker-compose.yml -f docker-compose.dev.yml up -d postgres kafka):
 *   DATABASE_URL=postgres://postgres:postgres@localhost:5433/postgres KAFKA_BROKERS=localhost:9094 \
 *     npm run bench:gateway
 * Options (environment): BENCH_SECONDS per run (default 10), BENCH_WARMUP_SECONDS (3),
 * BENCH_CONNECTIONS (16).
 */
import autocannon from 'autocannon';
import { v7 as uuidv7 } from 'uuid';
import { DELIVERY_SERVICE, DEMO_ACCOUNTS } from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const UNLIMITED = '100000000';

interface Row {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  other: number;
}

async function run(scenario: string, url: string, bearer: string, seconds: number): Promise<Row> {
  const result = await autocannon({
    url,
    headers: { authorization: bearer },
    connections: CONNECTIONS,
    duration: seconds,
  });
  return {
    scenario,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL || !process.env.KAFKA_BROKERS) {
    console.error(
      'Set DATABASE_URL (a Postgres superuser URL) and KAFKA_BROKERS, e.g. against the compose servers:\n' +
        '  DATABASE_URL=postgres://postgres:postgres@localhost:5433/postgres KAFKA_BROKERS=localhost:9094 npm run bench:gateway',
    );
    process.exit(2);
  }
  const issuer = await startTestIssuer();
  const databases: TestDatabase[] = [];
  const services: ServiceProcess[] = [];
  const start = async (app: string, env: Record<string, string>) => {
    const database = await createTestDatabase(`bench_${app.replace('-', '_')}`);
    databases.push(database);
    const service = await startServiceProcess({
      app,
      readyTimeoutMs: 90_000,
      env: {
        DATABASE_URL: database.url,
        ...serviceTokenEnv('scheduler'),
        LOG_LEVEL: 'warn',
        OTEL_SDK_DISABLED: 'true',
        ...issuer.env,
        ...env,
      },
    });
    services.push(service);
    return service;
  };
  try {
    process.stderr.write('starting delivery and api-gateway …\n');
    const delivery = await start('delivery', { KAFKA_BROKERS: process.env.KAFKA_BROKERS });
    const gateway = await start('api-gateway', {
      SCHEDULER_URL: delivery.url,
      DELIVERY_URL: delivery.url,
      DELIVERY_HISTORY_URL: delivery.url,
      IDENTITY_URL: delivery.url,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      // The limits are what is measured, not what stops the run.
      RATE_LIMIT_READ_PER_MINUTE: UNLIMITED,
      RATE_LIMIT_READ_BURST: UNLIMITED,
      RATE_LIMIT_IP_PER_MINUTE: UNLIMITED,
      RATE_LIMIT_IP_BURST: UNLIMITED,
    });

    const deliveryId = uuidv7();
    const token = await new ServiceTokens({
      serviceName: 'scheduler',
      signingKey: testSigningKey(),
    }).tokenFor(DELIVERY_SERVICE);
    const now = Date.now();
    const created = await fetch(`${delivery.url}/internal/v1/deliveries/${deliveryId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        accountId: DEMO_ACCOUNTS.active.accountId,
        packageId: uuidv7(),
        droneId: uuidv7(),
        pickup: { lat: 47.61, lng: -122.33 },
        dropoff: { lat: 47.65, lng: -122.3 },
        expedited: false,
        confirmationRequired: 'none',
        pickupEta: new Date(now + 60_000).toISOString(),
        dropoffEta: new Date(now + 120_000).toISOString(),
      }),
    });
    if (created.status !== 201)
      throw new Error(`the delivery was not created: ${created.status} ${await created.text()}`);

    // One token for the whole run (5 minutes by default is enough; 30 to be safe).
    const bearer = await issuer.bearer({
      accountId: DEMO_ACCOUNTS.active.accountId,
      expiresInSeconds: 1_800,
    });
    const path = `/api/v1/deliveries/${deliveryId}`;
    const rows: Row[] = [];
    for (const [scenario, base] of [
      ['delivery, direct', delivery.url],
      ['through api-gateway', gateway.url],
    ] as const) {
      process.stderr.write(`  ${scenario}: warm-up ${WARMUP_SECONDS} s, then ${SECONDS} s …\n`);
      await run(scenario, `${base}${path}`, bearer, WARMUP_SECONDS);
      rows.push(await run(scenario, `${base}${path}`, bearer, SECONDS));
    }
    console.log(
      `\nGET ${path.replace(deliveryId, '{id}')}, ${CONNECTIONS} connections, ${SECONDS} s per run\n`,
    );
    console.table(rows);
    const [direct, viaGateway] = rows;
    console.log(
      `gateway: ${((viaGateway.requestsPerSecond / direct.requestsPerSecond) * 100).toFixed(1)} % of the direct rate; ` +
        `p50 +${(viaGateway.p50Ms - direct.p50Ms).toFixed(1)} ms, p99 +${(viaGateway.p99Ms - direct.p99Ms).toFixed(1)} ms`,
    );
  } finally {
    await Promise.allSettled(services.map((service) => service.stop()));
    await Promise.allSettled(databases.map((database) => database.drop()));
    await issuer.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
