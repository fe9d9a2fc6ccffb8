import { context, propagation, trace } from '@opentelemetry/api';

/**
 * The W3C trace context of the active span as message headers (`traceparent`, and `tracestate`
 * when there is one), for a message written now and sent later (outbox rows): consumers then
 * continue the trace of the request that caused it. Empty when tracing is off.
 */
export function traceContextHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/** Trace and span id of the active span, for log lines; undefined outside any span. */
export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
