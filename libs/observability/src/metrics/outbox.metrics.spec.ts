import { countOutboxPublished, registerOutboxBacklog } from './outbox.metrics';
import { renderMetrics } from './metrics.registry';
import { metricSampleValue } from './metric-samples';

const backlogOf = async (table: string) =>
  metricSampleValue(await renderMetrics(), 'outbox_backlog', { table });

describe('outbox metrics', () => {
  it('measures the backlog at scrape time, until unregistered', async () => {
    let rows = 5;
    const unregister = registerOutboxBacklog('orders_outbox', () => Promise.resolve(rows));
    expect(await backlogOf('orders_outbox')).toBe(5);
    rows = 2;
    expect(await backlogOf('orders_outbox')).toBe(2);

    unregister();
    expect(await backlogOf('orders_outbox')).toBeUndefined();
  });

  it('uses the latest relay of a table while several run, the earlier once it stops', async () => {
    const unregisterFirst = registerOutboxBacklog('shared_outbox', () => Promise.resolve(1));
    const unregisterSecond = registerOutboxBacklog('shared_outbox', () => Promise.resolve(2));
    expect(await backlogOf('shared_outbox')).toBe(2);
    unregisterSecond();
    expect(await backlogOf('shared_outbox')).toBe(1);
    unregisterFirst();
    expect(await backlogOf('shared_outbox')).toBeUndefined();
  });

  it('leaves out a table whose count fails, and still answers the scrape', async () => {
    const unregisterBroken = registerOutboxBacklog('broken_outbox', () =>
      Promise.reject(new Error('connection refused')),
    );
    const unregisterHealthy = registerOutboxBacklog('healthy_outbox', () => Promise.resolve(0));
    try {
      const text = await renderMetrics();
      expect(metricSampleValue(text, 'outbox_backlog', { table: 'broken_outbox' })).toBeUndefined();
      expect(metricSampleValue(text, 'outbox_backlog', { table: 'healthy_outbox' })).toBe(0);
    } finally {
      unregisterBroken();
      unregisterHealthy();
    }
  });

  it('counts published rows per table', async () => {
    countOutboxPublished('events_outbox', 3);
    countOutboxPublished('events_outbox', 0);
    countOutboxPublished('events_outbox', 4);
    expect(
      metricSampleValue(await renderMetrics(), 'outbox_published_total', {
        table: 'events_outbox',
      }),
    ).toBe(7);
  });
});
