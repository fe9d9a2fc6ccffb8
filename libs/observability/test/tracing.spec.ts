import { context, propagation, trace } from '@opentelemetry/api';
import { currentTraceIds, startTracing, traceContextHeaders } from '../src/tracing';

/**
 * The trace context the services write into outbox rows and logs. startTracing registers the
 * global provider and propagator of this test file's module registry (no exporter: no
 * OTEL_EXPORTER_OTLP_ENDPOINT here).
 */
describe('tracing', () => {
  const tracing = startTracing('tracing-spec', {});
  afterAll(() => tracing.shutdown());

  const inSpan = <T>(work: () => T): T =>
    trace.getTracer('spec').startActiveSpan('work', (span) => {
      try {
        return work();
      } finally {
        span.end();
      }
    });

  it('gives the active span as a W3C traceparent header and as log fields', () => {
    const { headers, ids, spanContext } = inSpan(() => ({
      headers: traceContextHeaders(),
      ids: currentTraceIds(),
      spanContext: trace.getActiveSpan()?.spanContext(),
    }));
    expect(spanContext).toBeDefined();
    expect(headers).toEqual({
      traceparent: `00-${spanContext?.traceId}-${spanContext?.spanId}-01`,
    });
    expect(ids).toEqual({ traceId: spanContext?.traceId, spanId: spanContext?.spanId });
  });

  it('gives nothing outside a span', () => {
    expect(traceContextHeaders()).toEqual({});
    expect(currentTraceIds()).toBeUndefined();
  });

  it("keeps a message's creation context when a later sender injects its own", () => {
    const created = inSpan(() => traceContextHeaders());
    // What kafkajs' instrumentation does when the relay sends the row: inject the send span.
    const sent = inSpan(() => {
      const headers: Record<string, string> = {
        ...created,
        'content-type': 'application/cloudevents+json',
      };
      propagation.inject(context.active(), headers);
      return headers;
    });
    expect(sent.traceparent).toBe(created.traceparent);
    // ...and a carrier without one still gets the sender's.
    const fresh = inSpan(() => {
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      return { headers, traceId: trace.getActiveSpan()?.spanContext().traceId };
    });
    expect(fresh.headers.traceparent).toContain(fresh.traceId);
  });

  it('continues a trace extracted from incoming headers', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const incoming = propagation.extract(context.active(), {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    const ids = context.with(incoming, () => inSpan(() => currentTraceIds()));
    expect(ids?.traceId).toBe(traceId);
  });
});
