/** Transport id of the consumer of fleet-snapshot answers (one consumer group per instance). */
export const FLEET_SNAPSHOT_REPLIES_CONSUMER = Symbol('api-gateway-fleet-snapshot-replies');
