import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from './postgres';
import { freePort, startServiceProcess, type ServiceProcess } from './service-process';
import { serviceTokenEnv } from './service-keys';

/** Every app of the system, in the order compose's depends_on starts them. */
export const SYSTEM_SERVICES = [
  'accounts',
  'package',
  'drone-management',
  'delivery',
  'delivery-history',
  'scheduler',
  'identity',
  'api-gateway',
] as const;
export type SystemService = (typeof SYSTEM_SERVICES)[number];

/** The scheduler's callees and the consumers: nothing of the system calls them at start-up. */
export const FIRST_WAVE: SystemService[] = [
  'accounts',
  'package',
  'drone-management',
  'delivery',
  'delivery-history',
];
export const SECOND_WAVE: SystemService[] = ['identity', 'scheduler', 'api-gateway'];

export interface SystemWiring {
  ports: Record<SystemService, number>;
  kafkaBrokers: string;
  databaseUrls: Record<SystemService, string>;
  fleetSize: number;
  /** Simulated seconds per real second: high, so a flight takes seconds. */
  timeScale: number;
}

export const serviceUrl = (ports: Record<SystemService, number>, name: SystemService): string =>
  `http://127.0.0.1:${ports[name]}`;

/**
 * Each service's environment, wired as docker-compose.yml wires it: the gateway in front,
 * identity issuing tokens under the gateway's address (its dashboard client redirecting to the
 * gateway's /callback), the scheduler signing service tokens the others trust, a fast flight
 * simulator. Callers add their own settings on top (chaos lifts the limits, for one).
 */
export function systemEnvironment(
  wiring: SystemWiring,
): Record<SystemService, Record<string, string>> {
  const url = (name: SystemService) => serviceUrl(wiring.ports, name);
  const gatewayUrl = url('api-gateway');
  const issuer = `${gatewayUrl}/identity`;
  const common = {
    ...serviceTokenEnv(),
    AUTH_ISSUER: issuer,
    AUTH_JWKS_URL: `${url('identity')}/identity/jwks`,
    KAFKA_BROKERS: wiring.kafkaBrokers,
    LOG_LEVEL: 'warn',
    OTEL_SDK_DISABLED: 'true',
  };
  const own: Record<SystemService, Record<string, string>> = {
    accounts: {},
    package: {},
    'drone-management': {
      FLEET_SIZE: String(wiring.fleetSize),
      SIMULATION_TIME_SCALE: String(wiring.timeScale),
      SIMULATOR_TICK_MS: '200',
      TELEMETRY_INTERVAL_MS: '500',
    },
    delivery: {},
    'delivery-history': {},
    scheduler: {
      ...serviceTokenEnv('scheduler'),
      ACCOUNTS_URL: url('accounts'),
      PACKAGE_URL: url('package'),
      DRONE_MANAGEMENT_URL: url('drone-management'),
      DELIVERY_URL: url('delivery'),
    },
    identity: {
      IDENTITY_ISSUER: issuer,
      DASHBOARD_REDIRECT_URIS: `${gatewayUrl}/callback`,
      IDENTITY_COOKIE_KEYS: randomBytes(24).toString('hex'),
    },
    'api-gateway': {
      SCHEDULER_URL: url('scheduler'),
      DELIVERY_URL: url('delivery'),
      DELIVERY_HISTORY_URL: url('delivery-history'),
      IDENTITY_URL: url('identity'),
      // The service area, and the operators' page asks every service for its health.
      DRONE_MANAGEMENT_URL: url('drone-management'),
      ACCOUNTS_URL: url('accounts'),
      PACKAGE_URL: url('package'),
    },
  };
  return perService((name) => ({
    ...common,
    DATABASE_URL: wiring.databaseUrls[name],
    ...own[name],
  }));
}

/** A record with an entry for every service of the system. */
export function perService<T>(value: (name: SystemService) => T): Record<SystemService, T> {
  const record = {} as Record<SystemService, T>;
  for (const name of SYSTEM_SERVICES) record[name] = value(name);
  return record;
}

/** Free ports and fresh databases (one role each) for every service of the system. */
export async function prepareSystem(prefix: string): Promise<{
  ports: Record<SystemService, number>;
  databases: Record<SystemService, TestDatabase>;
}> {
  const ports = {} as Record<SystemService, number>;
  const databases = {} as Record<SystemService, TestDatabase>;
  for (const name of SYSTEM_SERVICES) {
    ports[name] = await freePort();
    databases[name] = await createTestDatabase(`${prefix}_${name.replace('-', '_')}`);
  }
  return { ports, databases };
}

export interface WholeSystem {
  services: Record<SystemService, ServiceProcess>;
  /** The public entry: the API, the identity provider under /identity, the dashboard at /. */
  gatewayUrl: string;
  /** Stops one service gracefully and starts it again on its port, e.g. to drop connections. */
  restart(name: SystemService): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole system, gateway and identity provider included, as processes on fresh databases
 * and the test run's Kafka: what a browser meets after `docker compose up`, minus the containers.
 */
export async function startWholeSystem(options: {
  kafkaBrokers: string;
  fleetSize: number;
  timeScale: number;
  /** Added to one service's environment, e.g. the gateway's DASHBOARD_DIR. */
  env?: Partial<Record<SystemService, Record<string, string>>>;
}): Promise<WholeSystem> {
  const { ports, databases } = await prepareSystem('system');
  const environment = systemEnvironment({
    ports,
    kafkaBrokers: options.kafkaBrokers,
    databaseUrls: perService((name) => databases[name].url),
    fleetSize: options.fleetSize,
    timeScale: options.timeScale,
  });
  const services = {} as Record<SystemService, ServiceProcess>;
  const stop = async () => {
    await Promise.allSettled(Object.values(services).map((service) => service.stop()));
    await Promise.allSettled(Object.values(databases).map((database) => database.drop()));
  };
  const start = async (name: SystemService) => {
    services[name] = await startServiceProcess({
      app: name,
      port: ports[name],
      // Eight services compile and start at once: give a busy machine time.
      readyTimeoutMs: 120_000,
      env: { ...environment[name], ...options.env?.[name] },
    });
  };
  const startWave = async (names: SystemService[]) => {
    // Like Promise.all, but every start settles before a failure is thrown: a service still
    // starting would otherwise be left running after stop().
    const settled = await Promise.allSettled(names.map(start));
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
  };
  try {
    await startWave(FIRST_WAVE);
    await startWave(SECOND_WAVE);
  } catch (error) {
    await stop();
    throw error;
  }
  const restart = async (name: SystemService) => {
    await services[name].stop();
    await start(name);
  };
  return { services, gatewayUrl: serviceUrl(ports, 'api-gateway'), restart, stop };
}
