import { trace } from '@opentelemetry/api';
import { startTracing, traceContextHeaders } from '../src/tracing';

// Its own file: the global tracer provider of a test file can be registered once.
describe('tracing turned off with OTEL_SDK_DISABLED=true', () => {
  it('records no spans and writes no trace context', async () => {
    const tracing = startTracing('disabled', { OTEL_SDK_DISABLED: 'true' });
    const headers = trace.getTracer('spec').startActiveSpan('work', (span) => {
      const result = { recording: span.isRecording(), headers: traceContextHeaders() };
      span.end();
      return result;
    });
    expect(headers).toEqual({ recording: false, headers: {} });
    await tracing.shutdown();
  });
});
