/** Transport id of the fleet-snapshot consumer (see connectFleetSnapshotConsumer). */
export const FLEET_SNAPSHOT_CONSUMER = Symbol('drone-management-fleet-snapshot');

/** Consumer group per instance: `drone-management.fleet-snapshot.<INSTANCE_ID>`. */
export const fleetSnapshotGroupId = (instanceId: string): string =>
  `drone-management.fleet-snapshot.${instanceId}`;
