// `npm run chaos [-- --ci]`: the whole system under steady load while its parts are killed,
// restarted and cut off, then an audit of everything it accepted. See docs/reliability.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DEMO_CLIENTS, TOPICS } from '@drone-delivery/contracts';
import { PublicApiClient, sleep } from '@drone-delivery/demo-traffic';
import { ChaosApi } from './chaos-api';
import { audit } from './chaos-audit';
import { startChaosInfrastructure } from './chaos-containers';
import { runFaults, seconds } from './chaos-faults';
import { startLoad } from './chaos-load';
import { parseChaosOptions, type ChaosOptions, UsageError, USAGE } from './chaos-options';
import { type ChaosReport, formatReport, loadSummary, withRecoveryTimes } from './chaos-report';
import { SERVICES, type ChaosSystem, startChaosSystem } from './chaos-system';
import { consumerLag } from './consumer-lag';
import { startWebhookReceiver } from './webhook-receiver';

const startedAt = Date.now();
const log = (line: string) =>
  console.log(`[chaos +${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)}s] ${line}`);

async function count(url: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

/** What still moves: open deliveries and sagas, events and notifications not yet consumed. */
async function stillMoving(system: ChaosSystem, admin: ReturnType<Kafka['admin']>) {
  const db = system.databaseUrls;
  const [open, sagas, written, recorded, lags, flying] = await Promise.all([
    count(
      db.delivery,
      `SELECT count(*) AS n FROM deliveries WHERE stage NOT IN ('Completed', 'Cancelled')`,
    ),
    count(
      db.scheduler,
      `SELECT count(*) AS n FROM saga_log WHERE state IN ('pending', 'compensating')`,
    ),
    count(db.delivery, 'SELECT coalesce(sum(last_sequence), 0) AS n FROM deliveries'),
    count(db['delivery-history'], 'SELECT count(*) AS n FROM timeline_events'),
    Promise.all([
      consumerLag(admin, 'delivery-notification-matcher-server', TOPICS.deliveryEvents.name),
      consumerLag(admin, 'delivery-notifier-server', TOPICS.notificationCommands.name),
    ]),
    // A drone is `assigned` until it is home and charged, after its delivery has ended: the
    // audit's "no drone left assigned" is only meaningful once every flight is over.
    count(db['drone-management'], `SELECT count(*) AS n FROM drones WHERE status <> 'idle'`),
  ]);
  const parts = [
    open > 0 && `${open} deliveries open`,
    sagas > 0 && `${sagas} sagas unfinished`,
    written > recorded && `${written - recorded} events not in history`,
    lags[0] + lags[1] > 0 && `notifications lag ${lags[0] + lags[1]}`,
    flying > 0 && `${flying} drones not home yet`,
  ].filter(Boolean);
  return parts.join(', ');
}

async function run(options: ChaosOptions): Promise<number> {
  const images = {
    postgres: process.env.POSTGRES_IMAGE || 'postgres:17',
    kafka: process.env.KAFKA_IMAGE || 'apache/kafka:4.1.1',
  };
  log(
    `${options.ci ? 'CI' : 'full'} run: until ${options.deliveries} deliveries accepted (at most ${seconds(options.maxLoadMs)}), ${options.killsPerService} kills per service`,
  );
  log(`starting Postgres (${images.postgres}) and Kafka (${images.kafka}) …`);
  const infrastructure = await startChaosInfrastructure(images);
  // createTestDatabase makes each service's database on this server.
  process.env.DATABASE_URL = infrastructure.postgresAdminUrl;
  const receiver = await startWebhookReceiver();
  const kafka = new Kafka({ brokers: [infrastructure.kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  let system: ChaosSystem | undefined;
  try {
    await admin.connect();
    log('starting the services …');
    system = await startChaosSystem({
      kafkaBrokers: infrastructure.kafkaBrokers,
      historyKafkaBrokers: infrastructure.severableKafkaBrokers,
      fleetSize: options.fleetSize,
      timeScale: options.timeScale,
      webhookHost: `127.0.0.1:${receiver.port}`,
      log,
    });
    const readiness = new PublicApiClient({
      gatewayUrl: system.gatewayUrl,
      credentials: DEMO_CLIENTS.active,
    });
    for (let problems = await readiness.unreachableServices('ready'); problems.length > 0;) {
      await sleep(1_000);
      problems = await readiness.unreachableServices('ready');
    }
    log(`the API answers at ${system.gatewayUrl}; load and faults begin`);

    const api = new ChaosApi(system.gatewayUrl, DEMO_CLIENTS.active);
    const loadStarted = Date.now();
    let faultsDone = false;
    const load = startLoad({
      api,
      concurrency: options.concurrency,
      intentTimeoutMs: options.ci ? 120_000 : 300_000,
      shouldStop: () =>
        Date.now() - loadStarted >= options.maxLoadMs ||
        (faultsDone && load.accepted() >= options.deliveries),
      webhookUrl: (intent) => `http://127.0.0.1:${receiver.port}/hooks/${intent.idempotencyKey}`,
    });
    const faults = runFaults({
      system,
      infrastructure,
      admin,
      windowMs: options.faultWindowMs,
      kills: options.killsPerService,
      cutMs: options.cutMs,
      log,
    });
    void faults.done.then(() => {
      faultsDone = true;
      log('every fault has happened');
    });
    const progress = setInterval(() => {
      const intents = load.result.intents;
      const pending = intents.filter((intent) => intent.outcome === 'pending').length;
      log(
        `load: ${load.accepted()} accepted, ${pending} in flight, ${load.result.requests} requests, ${faults.records.length} faults so far`,
      );
    }, 10_000);
    const loadResult = await load.done;
    clearInterval(progress);
    log(
      `load stopped after ${seconds(loadResult.endedAt - loadResult.startedAt)}: ${load.accepted()} accepted`,
    );
    await faults.done;
    await Promise.all(SERVICES.map((name) => system!.services[name].whenUp()));

    log('waiting for quiescence …');
    const quiesceStarted = Date.now();
    let moving = 'not checked yet';
    let lastReport = 0;
    while (Date.now() - quiesceStarted < options.quiesceMs) {
      moving = await stillMoving(system, admin).catch(
        (error: unknown) => `check failed: ${String(error)}`,
      );
      if (!moving) break;
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        log(`still moving: ${moving}`);
      }
      await sleep(1_000);
    }
    const quiescenceMs = Date.now() - quiesceStarted;
    log(
      moving
        ? `not quiet after ${seconds(quiescenceMs)}: ${moving}`
        : `quiet after ${seconds(quiescenceMs)}; auditing …`,
    );

    const result = await audit({
      api,
      intents: loadResult.intents,
      databaseUrls: system.databaseUrls,
      admin,
      webhookCalls: receiver.calls,
    });
    const report: ChaosReport = {
      mode: options.ci ? 'ci' : 'full',
      startedAt: new Date(startedAt).toISOString(),
      load: loadSummary(loadResult),
      kills: Object.fromEntries(
        SERVICES.map((name) => [name, system!.services[name].count('killed')]),
      ),
      crashes: Object.fromEntries(
        SERVICES.flatMap((name) => {
          const n = system!.services[name].count('crashed');
          return n > 0 ? [[name, n]] : [];
        }),
      ),
      faults: withRecoveryTimes(faults.records, loadResult),
      quiescenceMs,
      audit: result,
      passed: result.problems.length === 0,
    };
    console.log(`\n${formatReport(report)}`);
    const reportPath = path.resolve(options.reportPath);
    mkdirSync(path.dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    for (const name of SERVICES) {
      for (const output of system.services[name].crashOutputs) {
        console.log(
          `\n--- ${name}: a process that died by itself or failed to restart ---\n${output}`,
        );
      }
    }
    log(`report written to ${path.relative(process.cwd(), reportPath)}`);
    return report.passed ? 0 : 1;
  } finally {
    log('stopping …');
    await system?.stop();
    await admin.disconnect().catch(() => undefined);
    await receiver.close();
    await infrastructure.stop();
  }
}

async function main(): Promise<number> {
  const options = parseChaosOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  return run(options);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
