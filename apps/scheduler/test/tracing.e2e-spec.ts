import { randomBytes } from 'node:crypto';
import { DEMO_ACCOUNTS, TOPICS } from '@drone-delivery/contracts';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  SPAN_KIND,
  startOtlpReceiver,
  testKafkaBrokers,
  waitFor,
} from '@drone-delivery/testing';
import { type RunningSystem, startSystem } from './running-system';

/**
 * Distributed tracing across the whole system: every service exports its spans over OTLP/HTTP
 * to a receiver this test runs. A scheduling request that arrives with a W3C `traceparent`
 * must yield one trace holding the saga's calls to every service and, after the outbox relay
 * and Kafka, the consumption of the delivery's events in delivery-history and delivery.
 */

const ORDER = {
  accountId: DEMO_ACCOUNTS.active.accountId,
  pickup: { lat: 47.6101, lng: -122.3421 },
  dropoff: { lat: 47.6205, lng: -122.3493 },
  package: { size: 'small', weightKg: 1.2 },
};

const SERVICES = [
  'scheduler',
  'accounts',
  'package',
  'drone-management',
  'delivery',
  'delivery-history',
];

describe('one trace from a scheduling request to the consumers of its events', () => {
  let receiver: OtlpReceiver;
  let system: RunningSystem;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    system = await startSystem({
      fleetSize: 2,
      timeScale: 300,
      kafkaBrokers: testKafkaBrokers().join(','),
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
  }, 150_000);

  afterAll(async () => {
    await system?.stop();
    await receiver?.stop();
  });

  it('follows the saga through every service and on into the Kafka consumers', async () => {
    // The caller's own span: the scheduler's must join it rather than start a trace.
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const response = await fetch(`${system.scheduler.url}/api/v1/deliveries`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: await system.issuer.bearer({ accountId: ORDER.accountId }),
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify(ORDER),
    });
    expect(response.status).toBe(201);
    const { deliveryId } = (await response.json()) as { deliveryId: string };

    const inTrace = () => receiver.spans().filter((span) => span.traceId === traceId);
    const consumed = (service: string) =>
      inTrace().find(
        (span) =>
          span.service === service &&
          span.kind === SPAN_KIND.consumer &&
          span.attributes['messaging.destination.name'] === TOPICS.deliveryEvents.name,
      );
    // The consumers' spans arrive last: after the relay, Kafka and the consumers' export delay.
    await waitFor(() => consumed('delivery-history') && consumed('delivery'), {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: `consumer spans of ${TOPICS.deliveryEvents.name} in trace ${traceId}`,
    });
    const spans = inTrace();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const describe = (span: ReceivedSpan) => `${span.service} ${span.name} (kind ${span.kind})`;

    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(SERVICES));

    // The scheduler's request span is the child of the caller's; every other span hangs from
    // one in the trace, so nothing started a trace of its own on the way.
    const root = spans.find((span) => span.parentSpanId === callerSpanId);
    expect(root && describe(root)).toBe(`scheduler ${root?.name} (kind ${SPAN_KIND.server})`);
    const orphans = spans.filter(
      (span) => span !== root && !(span.parentSpanId && byId.has(span.parentSpanId)),
    );
    expect(orphans.map(describe)).toEqual([]);

    // Each downstream service's request span is the child of a scheduler's client span.
    for (const service of SERVICES.filter(
      (name) => !['scheduler', 'delivery-history'].includes(name),
    )) {
      const served = spans.filter(
        (span) => span.service === service && span.kind === SPAN_KIND.server,
      );
      expect(served.length).toBeGreaterThan(0);
      for (const span of served) {
        const parent = byId.get(span.parentSpanId as string);
        expect(parent && describe(parent)).toMatch(
          new RegExp(`^scheduler .* \\(kind ${SPAN_KIND.client}\\)$`),
        );
      }
    }

    // The event reached delivery-history in this trace, keyed by the delivery, and its
    // handler's queries are children of the consumer span.
    const historyConsumer = consumed('delivery-history') as ReceivedSpan;
    expect(historyConsumer.attributes['messaging.kafka.message.key']).toBe(deliveryId);
    const historyQueries = spans.filter(
      (span) =>
        span.service === 'delivery-history' &&
        span.kind === SPAN_KIND.client &&
        span.parentSpanId === historyConsumer.spanId,
    );
    expect(historyQueries.length).toBeGreaterThan(0);
    expect(
      historyQueries.every(
        (span) => span.attributes['db.system.name'] ?? span.attributes['db.system'],
      ),
    ).toBe(true);
  }, 90_000);
});
