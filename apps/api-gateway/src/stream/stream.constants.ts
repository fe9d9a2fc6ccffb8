/** Transport ids of the stream's consumers (one consumer group per gateway instance each). */
export const STREAM_CONSUMERS = {
  deliveryEvents: Symbol('api-gateway-stream-delivery-events'),
  telemetry: Symbol('api-gateway-stream-telemetry'),
} as const;
