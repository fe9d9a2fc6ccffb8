import { type INestApplication, Module } from '@nestjs/common';
import { DRONE_MANAGEMENT_SERVICE } from '@drone-delivery/contracts';
import { connectReliableKafkaConsumer, kafkaTls } from '@drone-delivery/messaging';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { FlightModule } from '../flight/flight.module';
import { FLEET_SNAPSHOT_CONSUMER, fleetSnapshotGroupId } from './fleet-snapshot.constants';
import { FleetSnapshotConsumer } from './fleet-snapshot.consumer';
import { FleetSnapshotResponder } from './fleet-snapshot.responder';

/** Publish/async responses: this instance's answers to the gateway's fleet-snapshot requests. */
@Module({
  imports: [FlightModule],
  controllers: [FleetSnapshotConsumer],
  providers: [FleetSnapshotResponder],
})
export class FleetSnapshotModule {}

/**
 * The instance's own consumer group, starting at the log end: a new instance never reads
 * requests older than itself (those are past their answerBy anyway). Two attempts only: an
 * answer is useless once the asker's deadline has passed.
 */
export function connectFleetSnapshotConsumer(
  app: INestApplication,
  config: DroneManagementConfig,
): void {
  connectReliableKafkaConsumer(
    app,
    {
      clientId: DRONE_MANAGEMENT_SERVICE,
      brokers: config.KAFKA_BROKERS,
      tls: kafkaTls(config),
      groupId: fleetSnapshotGroupId(config.INSTANCE_ID),
      transportId: FLEET_SNAPSHOT_CONSUMER,
      startAt: 'latest',
    },
    { maxAttempts: 2 },
  );
}
