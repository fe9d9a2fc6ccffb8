// Tracing: started first thing in every main.ts (see apps/*/src/instrumentation.ts).
// Metrics: Prometheus, served at /metrics by every service.
