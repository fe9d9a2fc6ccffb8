import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { CreationContextPropagator } from './creation-context.propagator';

/** Requests that run every few seconds and say nothing about a delivery. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

export interface Tracing {
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** The provider startTracing registered, for flushTracing. */
let started: TracerProvider | undefined;

/**
 * Exports the spans still buffered; a no-op when tracing was not started. Services call it last
 * in their graceful shutdown (service-defaults' ShutdownState), so the spans of the final
 * requests and messages are not lost with the process.
 */
export async function flushTracing(): Promise<void> {
  await started?.forceFlush();
}

/**
 * OpenTelemetry for one service: W3C trace context in and out (HTTP headers, Kafka headers),
 * spans for incoming and outgoing HTTP (fetch), Postgres queries and Kafka sends and consumes.
 *
 * Must run before anything loads `http`, `pg` or `kafkajs`: instrumentations patch modules as
 * they are first required, so each main.ts imports its `instrumentation.ts` first.
 *
 * Spans are exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set; without it they are still created, so trace ids
 * reach the logs and the next service. `OTEL_SDK_DISABLED=true` turns all of it off.
 */
export function startTracing(serviceName: string, env = process.env): Tracing {
  if (env['OTEL_SDK_DISABLED'] === 'true') return { shutdown: () => Promise.resolve() };

  const spanProcessors: SpanProcessor[] = [];
  if (env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    // The exporter reads the endpoint, headers and timeout from the standard OTEL_* variables.
    spanProcessors.push(
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        scheduledDelayMillis: positiveNumber(env['OTEL_BSP_SCHEDULE_DELAY']) ?? 5_000,
      }),
    );
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CreationContextPropagator(
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
    ),
  );
  trace.setGlobalTracerProvider(provider);
  started = provider;

  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      // Node's fetch: the service-to-service calls of DownstreamClient.
      new UndiciInstrumentation(),
      // Only inside a request or a message: the relays' polling would be a trace every 200 ms.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });

  return { shutdown: () => provider.shutdown() };
}

function positiveNumber(value: string | undefined): number | undefined {
  const parsed = Number(value);
  return value && Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}
