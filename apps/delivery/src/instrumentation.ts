// Imported first by main.ts: OpenTelemetry has to patch http, pg and kafkajs before they load.
import { startTracing } from '@drone-delivery/observability/tracing';

startTracing('delivery');
