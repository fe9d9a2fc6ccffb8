import { type Admin } from 'kafkajs';
import { TOPICS } from '@drone-delivery/contracts';
import { type ChaosInfrastructure } from './chaos-containers';
import { SERVICES, type ChaosSystem, type ServiceName } from './chaos-system';
import { timeToZeroLag } from './consumer-lag';

export interface FaultRecord {
  kind: 'kill' | 'kafka-restart' | 'postgres-restart' | 'network-cut';
  target: string;
  /** When the fault was over (process killed, server back, link restored), epoch ms. */
  at: number;
  /** Kill: until the service was ready again; restart: until the server answered again. */
  downMs?: number;
  /** Restarts: whether the server came back on the port its clients know. */
  samePort?: boolean;
  /** Cut and Kafka restart: until delivery-history had consumed every delivery event. */
  lagZeroMs?: number;
  /** Filled in after the load: until the next delivery was accepted. */
  nextAcceptedMs?: number;
}

interface PlannedFault {
  atMs: number;
  run: () => Promise<FaultRecord>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every fault of the run at a random time within the window: each service SIGKILLed `kills`
 * times, Kafka and Postgres restarted once each, delivery-history cut off Kafka once.
 */
export function runFaults(options: {
  system: ChaosSystem;
  infrastructure: ChaosInfrastructure;
  admin: Admin;
  windowMs: number;
  kills: number;
  cutMs: number;
  log: (line: string) => void;
  random?: () => number;
}): { records: FaultRecord[]; done: Promise<void> } {
  const { system, infrastructure, admin, windowMs, log } = options;
  const random = options.random ?? Math.random;
  const records: FaultRecord[] = [];
  const lagOfHistory = () =>
    timeToZeroLag(admin, system.historyGroupId, TOPICS.deliveryEvents.name, 120_000);
  // One fault at a time per service: a kill waits for the restart of the one before.
  const lastOf = new Map<ServiceName, Promise<unknown>>();
  const kill = (name: ServiceName) => async (): Promise<FaultRecord> => {
    const previous = lastOf.get(name) ?? Promise.resolve();
    const killing = previous.then(() => system.services[name].kill());
    lastOf.set(name, killing);
    const { killedAt, readyAt } = await killing;
    log(`killed ${name}; ready again after ${seconds(readyAt - killedAt)}`);
    return { kind: 'kill', target: name, at: killedAt, downMs: readyAt - killedAt };
  };
  const plan: PlannedFault[] = [];
  for (const name of SERVICES) {
    for (let index = 0; index < options.kills; index++) {
      // Spread: the n-th kill of a service falls in the n-th slice of the window.
      const slice = (0.9 * windowMs) / options.kills;
      plan.push({ atMs: 0.05 * windowMs + slice * (index + random()), run: kill(name) });
    }
  }
  plan.push({
    atMs: 0.3 * windowMs,
    run: async () => {
      log('restarting Kafka …');
      const { downMs, samePort } = await infrastructure.restartKafka();
      const at = Date.now();
      log(`Kafka back after ${seconds(downMs)} (same port: ${samePort})`);
      return {
        kind: 'kafka-restart',
        target: 'kafka',
        at,
        downMs,
        samePort,
        lagZeroMs: await lagOfHistory(),
      };
    },
  });
  plan.push({
    atMs: 0.5 * windowMs,
    run: async () => {
      log(`cutting delivery-history off Kafka for ${seconds(options.cutMs)} …`);
      infrastructure.kafkaProxy.sever();
      await sleep(options.cutMs);
      infrastructure.kafkaProxy.restore();
      const at = Date.now();
      const lagZeroMs = await lagOfHistory();
      log(
        `delivery-history reconnected; caught up ${lagZeroMs === undefined ? 'not within 120 s' : `after ${seconds(lagZeroMs)}`}`,
      );
      return {
        kind: 'network-cut',
        target: 'delivery-history ↔ kafka',
        at,
        downMs: options.cutMs,
        lagZeroMs,
      };
    },
  });
  plan.push({
    atMs: 0.7 * windowMs,
    run: async () => {
      log('restarting Postgres …');
      const { downMs, samePort } = await infrastructure.restartPostgres();
      log(`Postgres back after ${seconds(downMs)} (same port: ${samePort})`);
      return { kind: 'postgres-restart', target: 'postgres', at: Date.now(), downMs, samePort };
    },
  });
  const started = Date.now();
  const done = Promise.all(
    plan.map(async (fault) => {
      await sleep(Math.max(0, started + fault.atMs - Date.now()));
      records.push(await fault.run());
    }),
  ).then(() => undefined);
  return { records, done };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
