import { consumerMetrics } from './kafka-consumer.metrics';
import { renderMetrics } from './metrics.registry';
import { metricSampleValue } from './metric-samples';

const lagOf = async (topic: string, partition: number, group: string) =>
  metricSampleValue(await renderMetrics(), 'kafka_consumer_lag', {
    topic,
    partition: String(partition),
    group,
  });

describe('consumerMetrics', () => {
  it('keeps the latest lag per topic, partition and group', async () => {
    const metrics = consumerMetrics('orders-server');
    metrics.recordLag('orders', 0, 12);
    metrics.recordLag('orders', 0, 3);
    metrics.recordLag('orders', 1, 7);
    consumerMetrics('billing-server').recordLag('orders', 0, 40);

    expect(await lagOf('orders', 0, 'orders-server')).toBe(3);
    expect(await lagOf('orders', 1, 'orders-server')).toBe(7);
    expect(await lagOf('orders', 0, 'billing-server')).toBe(40);
  });

  it('drops the lag of partitions lost in a rebalance, and all of it on disconnect', async () => {
    const metrics = consumerMetrics('rebalanced-server');
    metrics.recordLag('events', 0, 1);
    metrics.recordLag('events', 1, 2);
    metrics.recordLag('other', 0, 5);

    metrics.keepLagOnlyFor({ events: [1] });
    expect(await lagOf('events', 0, 'rebalanced-server')).toBeUndefined();
    expect(await lagOf('events', 1, 'rebalanced-server')).toBe(2);
    expect(await lagOf('other', 0, 'rebalanced-server')).toBeUndefined();

    metrics.forgetLag();
    expect(await lagOf('events', 1, 'rebalanced-server')).toBeUndefined();
  });

  it('counts retries and dead letters by source topic, and times messages by outcome', async () => {
    const metrics = consumerMetrics('counting-server');
    metrics.countRetry('payments');
    metrics.countRetry('payments');
    metrics.countDeadLetter('payments');
    metrics.observeMessage('payments', 'handled', 0.02);
    metrics.observeMessage('payments', 'dead_lettered', 1.5);

    const text = await renderMetrics();
    expect(metricSampleValue(text, 'kafka_consumer_retries_total', { topic: 'payments' })).toBe(2);
    expect(metricSampleValue(text, 'kafka_dead_letters_total', { topic: 'payments' })).toBe(1);
    const count = (outcome: string) =>
      metricSampleValue(text, 'kafka_consumer_handling_duration_seconds_count', {
        topic: 'payments',
        outcome,
      });
    expect(count('handled')).toBe(1);
    expect(count('dead_lettered')).toBe(1);
    expect(
      metricSampleValue(text, 'kafka_consumer_handling_duration_seconds_sum', {
        topic: 'payments',
        outcome: 'dead_lettered',
      }),
    ).toBe(1.5);
  });
});
