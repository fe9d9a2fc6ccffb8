// Imported first by main.ts: OpenTelemetry has to patch http and pg before they load.
import { startTracing } from '@drone-delivery/observability/tracing';

startTracing('api-gateway');
