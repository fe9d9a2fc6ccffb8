import {
  type CircuitBreakerStateName,
  type MessagingOverview,
  type ServiceOverview,
  type ServiceStatus,
} from '@drone-delivery/contracts';
import { type MetricSample } from '@drone-delivery/observability';

/** What one instance of a service said when asked: readiness, and its metrics when it gave them. */
export interface InstanceProbe {
  address: string;
  status: ServiceStatus;
  samples: MetricSample[];
}

export interface ServiceProbe {
  service: string;
  instances: InstanceProbe[];
}

/** circuit_breaker_state's values (libs/observability), worst last. */
const BREAKER_STATES: CircuitBreakerStateName[] = ['closed', 'half-open', 'open', 'isolated'];

/**
 * A service as an operator sees it: ready only when every instance is, so one sick replica
 * shows; each breaker in the worst state any instance reports (a breaker is per process).
 */
export function serviceOverview(probe: ServiceProbe): ServiceOverview {
  const statuses = probe.instances.map((instance) => instance.status);
  const status: ServiceStatus =
    statuses.length > 0 && statuses.every((s) => s === 'ready')
      ? 'ready'
      : statuses.every((s) => s === 'unreachable')
        ? 'unreachable'
        : 'not-ready';
  const worst = new Map<string, number>();
  for (const sample of samplesNamed(probe, 'circuit_breaker_state')) {
    const name = sample.labels.downstream;
    if (name === undefined || BREAKER_STATES[sample.value] === undefined) continue;
    worst.set(name, Math.max(worst.get(name) ?? 0, sample.value));
  }
  return {
    service: probe.service,
    status,
    circuitBreakers: [...worst]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, state: BREAKER_STATES[value] })),
    instances: probe.instances.map(({ address, status: instanceStatus }) => ({
      address,
      status: instanceStatus,
    })),
  };
}

/**
 * Lag per consumer group and topic, from kafka_consumer_lag{topic, partition, group}: each
 * instance reports the partitions it owns, so the group's lag is the sum over its instances.
 */
export function consumerLags(probes: ServiceProbe[]): MessagingOverview['consumers'] {
  const lags = new Map<string, MessagingOverview['consumers'][number]>();
  for (const probe of probes) {
    for (const sample of samplesNamed(probe, 'kafka_consumer_lag')) {
      const { topic, group } = sample.labels;
      if (topic === undefined || group === undefined || !Number.isFinite(sample.value)) continue;
      const key = JSON.stringify([probe.service, group, topic]);
      const entry = lags.get(key) ?? { service: probe.service, group, topic, lag: 0 };
      entry.lag += sample.value;
      lags.set(key, entry);
    }
  }
  return [...lags.values()].sort(
    (a, b) =>
      a.service.localeCompare(b.service) ||
      a.topic.localeCompare(b.topic) ||
      a.group.localeCompare(b.group),
  );
}

function samplesNamed(probe: ServiceProbe, name: string): MetricSample[] {
  return probe.instances.flatMap((instance) =>
    instance.samples.filter((sample) => sample.name === name),
  );
}
