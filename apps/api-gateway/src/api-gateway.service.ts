/** The gateway's name: in logs, metrics, its Kafka client ids and the source of its requests. */
export const API_GATEWAY_SERVICE = 'api-gateway';
