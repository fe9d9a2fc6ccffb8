import {
  FIRST_WAVE,
  perService,
  prepareSystem,
  SECOND_WAVE,
  SYSTEM_SERVICES,
  systemEnvironment,
  type SystemService,
} from '@drone-delivery/testing';
import { SupervisedService } from './supervised-service';

export const SERVICES = SYSTEM_SERVICES;
export type ServiceName = SystemService;

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
 * The whole system as processes on fresh databases, wired as docker-compose.yml wires it
 * (systemEnvironment in libs/testing), with limits out of the way of the load: the run is about
 * faults, not quotas.
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
  const { ports, databases } = await prepareSystem('chaos');
  const databaseUrls = perService((name) => databases[name].url);
  const gatewayUrl = `http://127.0.0.1:${ports['api-gateway']}`;
  const historyGroupId = 'chaos-delivery-history';
  // Nest's Kafka transport appends `-server` to the group id it is given: the broker's name.
  const historyBrokerGroupId = `${historyGroupId}-server`;
  const wired = systemEnvironment({
    ports,
    kafkaBrokers: options.kafkaBrokers,
    databaseUrls,
    fleetSize: options.fleetSize,
    timeScale: options.timeScale,
  });
  const own: Record<ServiceName, Record<string, string>> = {
    accounts: {},
    package: {},
    'drone-management': { NO_DRONE_RETRY_AFTER_SECONDS: '2' },
    delivery: {
      DELIVERY_QUOTA_IN_FLIGHT: '100000',
      WEBHOOK_ALLOWED_HOSTS: options.webhookHost,
      WEBHOOK_ALLOW_HTTP: 'true',
    },
    'delivery-history': {
      KAFKA_BROKERS: options.historyKafkaBrokers,
      KAFKA_GROUP_ID: historyGroupId,
    },
    scheduler: { RETRY_AFTER_SECONDS: '2' },
    identity: {},
    'api-gateway': {
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
    services[name] = new SupervisedService(name, ports[name], { ...wired[name], ...own[name] });
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
    await startAll(FIRST_WAVE);
    await startAll(SECOND_WAVE);
  } catch (error) {
    await stop();
    throw error;
  }
  return { services, gatewayUrl, databaseUrls, historyGroupId: historyBrokerGroupId, stop };
}
