import { ServiceTokens } from '@drone-delivery/http';
import {
  createTestDatabase,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  uniqueGroupId,
} from '@drone-delivery/testing';

export const SYSTEM_SECRET = 'system-e2e-service-token-secret-0123456789';

export interface RunningSystem {
  accounts: ServiceProcess;
  packages: ServiceProcess;
  droneManagement: ServiceProcess;
  delivery: ServiceProcess;
  history: ServiceProcess;
  scheduler: ServiceProcess;
  /** A token as the scheduler would send, for internal reads in assertions. */
  tokens: ServiceTokens;
  stop(): Promise<void>;
}

/**
 * Every service as its own process, each on a fresh database, with fresh consumer groups, on the
 * test run's Kafka — the whole system as `docker compose up` runs it, minus the containers.
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
  const start = async (app: string, env: Record<string, string> = {}) => {
    const database = await createTestDatabase(`system_${app.replace('-', '_')}`);
    databases.push(database);
    const service = await startServiceProcess({
      app,
      // Five services compile and start at once: give a busy machine time.
      readyTimeoutMs: 90_000,
      env: {
        DATABASE_URL: database.url,
        SERVICE_TOKEN_SECRET: SYSTEM_SECRET,
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
  };
  try {
    const [accounts, packages, droneManagement, delivery, history] = await Promise.all([
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
      tokens: new ServiceTokens({ serviceName: 'scheduler', secret: SYSTEM_SECRET }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
