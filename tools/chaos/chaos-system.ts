import { randomBytes } from 'node:crypto';
import { createTestDatabase, freePort, serviceTokenEnv } from '@drone-delivery/testing';
import { SupervisedService } from './supervised-service';

export const SERVICES = [
  'accounts',
  'package',
  'drone-management',
  'delivery',
  'delivery-history',
  'scheduler',
  'identity',
  'api-gateway',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ChaosSystem {
  services: Record<ServiceName, SupervisedService>;
  gatewayUrl: string;
  /** Each service's own database, for the audit. */
  databaseUrls: Record<ServiceName, string>;
  /** delivery-history's consumer group, as the broker names it. */
  historyGroupId: string;
  stop(): Promise<void>;
}

const UNLIMITED = '100000000';

/**
 * The whole system as processes on fresh databases, wired as docker-compose.yml wires it (the
 * gateway in front, identity issuing under the gateway's address), with fresh service-token
 * keys, a fast flight simulator, and limits out of the way of the load: the run is about faults,
 * not quotas.
 */
export async function startChaosSystem(options: {
  kafkaBrokers: string;
  /** delivery-history's way to Kafka: the severable listener. */
  historyKafkaBrokers: string;
  fleetSize: number;
  timeScale: number;
  webhookHost: string;
  log: (line: string) => void;
}): Promise<ChaosSystem> {
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICES) ports[name] = await freePort();
  const url = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;
  const gatewayUrl = url('api-gateway');
  const issuer = `${gatewayUrl}/identity`;
  const databaseUrls = {} as Record<ServiceName, string>;
  for (const name of SERVICES) {
    databaseUrls[name] = (await createTestDatabase(`chaos_${name.replace('-', '_')}`)).url;
  }
  const historyGroupId = 'chaos-delivery-history';
  // Nest's Kafka transport appends `-server` to the group id it is given: the broker's name.
  const historyBrokerGroupId = `${historyGroupId}-server`;
  const common = {
    ...serviceTokenEnv(),
    AUTH_ISSUER: issuer,
    AUTH_JWKS_URL: `${url('identity')}/identity/jwks`,
    KAFKA_BROKERS: options.kafkaBrokers,
    LOG_LEVEL: 'warn',
    OTEL_SDK_DISABLED: 'true',
  };
  const own: Record<ServiceName, Record<string, string>> = {
    accounts: {},
    package: {},
    'drone-management': {
      FLEET_SIZE: String(options.fleetSize),
      SIMULATION_TIME_SCALE: String(options.timeScale),
      SIMULATOR_TICK_MS: '200',
      TELEMETRY_INTERVAL_MS: '500',
      NO_DRONE_RETRY_AFTER_SECONDS: '2',
    },
    delivery: {
      DELIVERY_QUOTA_IN_FLIGHT: '100000',
      WEBHOOK_ALLOWED_HOSTS: options.webhookHost,
      WEBHOOK_ALLOW_HTTP: 'true',
    },
    'delivery-history': {
      KAFKA_BROKERS: options.historyKafkaBrokers,
      KAFKA_GROUP_ID: historyGroupId,
    },
    scheduler: {
      ...serviceTokenEnv('scheduler'),
      ACCOUNTS_URL: url('accounts'),
      PACKAGE_URL: url('package'),
      DRONE_MANAGEMENT_URL: url('drone-management'),
      DELIVERY_URL: url('delivery'),
      RETRY_AFTER_SECONDS: '2',
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
      RETRY_AFTER_SECONDS: '1',
      RATE_LIMIT_WRITE_PER_MINUTE: UNLIMITED,
      RATE_LIMIT_WRITE_BURST: UNLIMITED,
      RATE_LIMIT_READ_PER_MINUTE: UNLIMITED,
      RATE_LIMIT_READ_BURST: UNLIMITED,
      RATE_LIMIT_IP_PER_MINUTE: UNLIMITED,
      RATE_LIMIT_IP_BURST: UNLIMITED,
    },
  };
  const services = {} as Record<ServiceName, SupervisedService>;
  for (const name of SERVICES) {
    services[name] = new SupervisedService(name, ports[name], {
      ...common,
      DATABASE_URL: databaseUrls[name],
      ...own[name],
    });
  }
  const stop = async () => {
    await Promise.allSettled(SERVICES.map((name) => services[name].stop()));
  };
  const startAll = async (names: ServiceName[]) => {
    const started = Date.now();
    await Promise.all(names.map((name) => services[name].start()));
    options.log(`ready: ${names.join(', ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  };
  try {
    // The scheduler's and the gateway's callees first, as compose's depends_on orders them.
    await startAll(['accounts', 'package', 'drone-management', 'delivery', 'delivery-history']);
    await startAll(['identity', 'scheduler', 'api-gateway']);
  } catch (error) {
    await stop();
    throw error;
  }
  return { services, gatewayUrl, databaseUrls, historyGroupId: historyBrokerGroupId, stop };
}
