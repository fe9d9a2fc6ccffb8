import { ServiceTokens } from '@drone-delivery/http';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  uniqueGroupId,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

export interface RunningSystem {
  accounts: ServiceProcess;
  packages: ServiceProcess;
  droneManagement: ServiceProcess;
  delivery: ServiceProcess;
  history: ServiceProcess;
  scheduler: ServiceProcess;
  /** A token as the scheduler would send, for internal reads in assertions. */
  tokens: ServiceTokens;
  /** The issuer of the access tokens every public route wants: `issuer.bearer({ accountId })`. */
  issuer: TestIssuer;
  stop(): Promise<void>;
}

/**
 * Every service as its own process, each on a fresh database, with fresh consumer groups, on the
 * test run's Kafka — the whole system as `docker compose up` runs it, minus the containers, and
 * with a test issuer standing in for identity.
 */
export async function startSystem(options: {
  fleetSize: number;
  /** Simulated seconds per real second: high, so a flight takes seconds. */
  timeScale: number;
  kafkaBrokers: string;
  /** Added to every service's environment, e.g. where to export traces. */
  env?: Record<string, string>;
}): Promise<RunningSystem> {
  const databases: TestDatabase[] = [];
  const processes: ServiceProcess[] = [];
  const issuer = await startTestIssuer();
  const start = async (app: string, env: Record<string, string> = {}) => {
    const database = await createTestDatabase(`system_${app.replace('-', '_')}`);
    databases.push(database);
    const service = await startServiceProcess({
      app,
      // Five services compile and start at once: give a busy machine time.
      readyTimeoutMs: 90_000,
      env: {
        // Every service gets them; those without public routes ignore them.
        ...issuer.env,
        DATABASE_URL: database.url,
        ...serviceTokenEnv('scheduler'),
        KAFKA_BROKERS: options.kafkaBrokers,
        LOG_LEVEL: 'warn',
        ...options.env,
        ...env,
      },
    });
    processes.push(service);
    return service;
  };
  const stop = async () => {
    await Promise.allSettled(processes.map((service) => service.stop()));
    await Promise.allSettled(databases.map((database) => database.drop()));
    await issuer.stop();
  };
  try {
    const [accounts, packages, droneManagement, delivery, history] = await allStarted([
      start('accounts'),
      start('package'),
      start('drone-management', {
        FLEET_SIZE: String(options.fleetSize),
        SIMULATION_TIME_SCALE: String(options.timeScale),
        SIMULATOR_TICK_MS: '100',
        TELEMETRY_INTERVAL_MS: '100',
      }),
      start('delivery', { KAFKA_GROUP_ID: uniqueGroupId('delivery') }),
      start('delivery-history', { KAFKA_GROUP_ID: uniqueGroupId('delivery-history') }),
    ]);
    const scheduler = await start('scheduler', {
      ACCOUNTS_URL: accounts.url,
      PACKAGE_URL: packages.url,
      DRONE_MANAGEMENT_URL: droneManagement.url,
      DELIVERY_URL: delivery.url,
    });
    return {
      accounts,
      packages,
      droneManagement,
      delivery,
      history,
      scheduler,
      tokens: new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() }),
      issuer,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Like Promise.all, but waits for every start to settle before failing: a service still starting
 * when another failed would otherwise be left running after stop(), and keep Jest from exiting.
 */
async function allStarted(starts: Promise<ServiceProcess>[]): Promise<ServiceProcess[]> {
  const settled = await Promise.allSettled(starts);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<ServiceProcess>).value);
}
