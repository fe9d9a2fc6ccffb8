import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventValidationError, parseFleetSnapshotAnswer, TOPICS } from '@drone-delivery/contracts';
import { FLEET_SNAPSHOT_REPLIES_CONSUMER } from './fleet.constants';
import { FleetSnapshotGatherer } from './fleet-snapshot.gatherer';

/**
 * Reads `fleet.snapshot-replies.v1` in this gateway instance's own consumer group (every
 * instance sees every answer; each keeps those naming its own requests). An answer is useful for
 * a second at most: a malformed one is logged and dropped, not retried or dead-lettered.
 */
@Controller()
export class FleetSnapshotConsumer {
  private readonly logger = new Logger(FleetSnapshotConsumer.name);

  constructor(private readonly gatherer: FleetSnapshotGatherer) {}

  @EventPattern<string>(TOPICS.fleetSnapshotReplies.name, FLEET_SNAPSHOT_REPLIES_CONSUMER)
  collectAnswer(@Payload() message: unknown): void {
    try {
      this.gatherer.receive(parseFleetSnapshotAnswer(message));
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      this.logger.warn(`fleet snapshot answer dropped: ${error.message}`);
    }
  }
}
