import {
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * W3C trace context, except that a carrier which already holds a `traceparent` keeps it.
 *
 * Why: an outbox row is written inside the request that caused it, and that request's trace
 * context is stored with it. The relay publishes the row later, from its own loop, and kafkajs'
 * instrumentation would inject the relay's context into the message, cutting the consumers off
 * the request's trace. The message must carry the context it was created in (OpenTelemetry's
 * messaging conventions call it the creation context); the relay's own "send" span stays in the
 * relay's trace.
 */
export class CreationContextPropagator implements TextMapPropagator {
  constructor(private readonly inner: TextMapPropagator) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (hasTraceparent(carrier)) return;
    this.inner.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.inner.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.inner.fields();
  }
}

function hasTraceparent(carrier: unknown): boolean {
  return (
    typeof carrier === 'object' &&
    carrier !== null &&
    (carrier as Record<string, unknown>)['traceparent'] !== undefined
  );
}
