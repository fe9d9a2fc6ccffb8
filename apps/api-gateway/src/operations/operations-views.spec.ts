import { parseMetricSamples } from '@drone-delivery/observability';
import { consumerLags, type InstanceProbe, serviceOverview } from './operations-views';

const instance = (
  address: string,
  status: InstanceProbe['status'],
  metrics = '',
): InstanceProbe => ({
  address,
  status,
  samples: parseMetricSamples(metrics),
});

describe('operations views', () => {
  it('is ready only when every instance is, and unreachable when none answered', () => {
    const of = (...statuses: InstanceProbe['status'][]) =>
      serviceOverview({
        service: 'delivery',
        instances: statuses.map((status, index) => instance(`10.0.0.${index}`, status)),
      }).status;

    expect(of('ready', 'ready')).toBe('ready');
    expect(of('ready', 'not-ready')).toBe('not-ready');
    expect(of('ready', 'unreachable')).toBe('not-ready');
    expect(of('unreachable', 'unreachable')).toBe('unreachable');
    expect(of()).toBe('unreachable');
  });

  it('names each breaker in the worst state an instance reports', () => {
    const overview = serviceOverview({
      service: 'scheduler',
      instances: [
        instance(
          '10.0.0.1',
          'ready',
          'circuit_breaker_state{downstream="accounts",service="scheduler"} 0\n' +
            'circuit_breaker_state{downstream="package",service="scheduler"} 1\n',
        ),
        instance(
          '10.0.0.2',
          'ready',
          '# HELP circuit_breaker_state ...\n' +
            'circuit_breaker_state{downstream="accounts",service="scheduler"} 2\n' +
            'circuit_breaker_state{downstream="package",service="scheduler"} 0\n' +
            'circuit_breaker_state{downstream="delivery",service="scheduler"} 3\n',
        ),
      ],
    });

    expect(overview.circuitBreakers).toEqual([
      { name: 'accounts', state: 'open' },
      { name: 'delivery', state: 'isolated' },
      { name: 'package', state: 'half-open' },
    ]);
    expect(overview.instances).toEqual([
      { address: '10.0.0.1', status: 'ready' },
      { address: '10.0.0.2', status: 'ready' },
    ]);
  });

  it('sums lag over the partitions and instances of each group and topic', () => {
    const lag = (partition: number, group: string, value: number, topic = 'drone.telemetry.v1') =>
      `kafka_consumer_lag{topic="${topic}",partition="${partition}",group="${group}"} ${value}\n`;
    const lags = consumerLags([
      {
        service: 'delivery',
        instances: [
          instance('10.0.0.1', 'ready', lag(0, 'delivery', 3) + lag(1, 'delivery', 4)),
          instance(
            '10.0.0.2',
            'ready',
            lag(2, 'delivery', 5) + lag(0, 'matcher', 1, 'delivery.events.v1'),
          ),
        ],
      },
      { service: 'accounts', instances: [instance('10.0.0.3', 'unreachable')] },
    ]);

    expect(lags).toEqual([
      { service: 'delivery', group: 'matcher', topic: 'delivery.events.v1', lag: 1 },
      { service: 'delivery', group: 'delivery', topic: 'drone.telemetry.v1', lag: 12 },
    ]);
  });
});
