import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseFleetSnapshotRequest, TOPICS } from '@drone-delivery/contracts';
import { parseMessage } from '@drone-delivery/messaging';
import { FLEET_SNAPSHOT_CONSUMER } from './fleet-snapshot.constants';
import { FleetSnapshotResponder } from './fleet-snapshot.responder';

/**
 * Consumes `fleet.snapshot-requests.v1` in a consumer group of this instance's own, so every
 * instance sees every request, and answers each with the drones it flies. A malformed request
 * goes to the DLQ at once; a request past its `answerBy` is dropped.
 */
@Controller()
export class FleetSnapshotConsumer {
  constructor(private readonly responder: FleetSnapshotResponder) {}

  @EventPattern<string>(TOPICS.fleetSnapshotRequests.name, FLEET_SNAPSHOT_CONSUMER)
  async answerFleetSnapshot(@Payload() message: unknown): Promise<void> {
    await this.responder.answer(parseMessage(parseFleetSnapshotRequest, message));
  }
}
