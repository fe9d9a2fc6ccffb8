import { trace } from '@opentelemetry/api';
import { withCorrelationId } from '@drone-delivery/http';
import { startTracing } from '@drone-delivery/observability/tracing';
import { serviceLogger } from './create-service-app';

/** A log line leads to its request (correlation id) and to its trace (trace and span ids). */
describe('service logs', () => {
  const tracing = startTracing('logger-spec', {});
  afterAll(() => tracing.shutdown());

  function logged(write: () => void): Record<string, unknown>[] {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      write();
    } finally {
      spy.mockRestore();
    }
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('carry the trace id, span id and correlation id of the work they describe', () => {
    const logger = serviceLogger({ serviceName: 'spec', description: 'spec' });
    const [line, ids] = trace.getTracer('spec').startActiveSpan('work', (span) => {
      const result = withCorrelationId(
        'order-42',
        () => [logged(() => logger.log('scheduled'))[0], span.spanContext()] as const,
      );
      span.end();
      return result;
    });
    expect(line).toMatchObject({
      message: 'scheduled',
      correlationId: 'order-42',
      traceId: ids.traceId,
      spanId: ids.spanId,
    });
  });

  it('carry no trace fields outside a span', () => {
    const logger = serviceLogger({ serviceName: 'spec', description: 'spec' });
    const [line] = logged(() => logger.log('idle'));
    expect(line).toMatchObject({ message: 'idle' });
    expect(line).not.toHaveProperty('traceId');
  });
});
