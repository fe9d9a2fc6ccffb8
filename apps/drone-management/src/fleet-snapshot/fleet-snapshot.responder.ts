import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  DRONE_MANAGEMENT_SERVICE,
  FLEET_SNAPSHOT_ANSWERED,
  type FleetSnapshotAnswer,
  type FleetSnapshotRequest,
} from '@drone-delivery/contracts';
import { createIdempotentProducer, kafkaTls, type Producer } from '@drone-delivery/messaging';
import { v7 as uuidv7 } from 'uuid';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';
import { FlownDrones } from '../flight/flown-drones';

/**
 * Answers a fleet-snapshot request on its reply topic with this instance's id and the drones it
 * flies. An answer is worth something only before the asker's deadline, so a failed send is not
 * retried past it: the error goes to the consumer, which retries within its bounds.
 */
@Injectable()
export class FleetSnapshotResponder implements OnApplicationShutdown {
  private readonly logger = new Logger(FleetSnapshotResponder.name);
  private producer?: Promise<Producer>;

  constructor(
    @Inject(DRONE_MANAGEMENT_CONFIG) private readonly config: DroneManagementConfig,
    private readonly flown: FlownDrones,
  ) {}

  async answer(request: FleetSnapshotRequest, now = new Date()): Promise<void> {
    if (Date.parse(request.data.answerBy) < now.getTime()) {
      this.logger.debug(
        `fleet snapshot ${request.id} asked for an answer by its deadline: skipped`,
      );
      return;
    }
    const answer: FleetSnapshotAnswer = {
      specversion: '1.0',
      id: uuidv7(),
      source: `/${DRONE_MANAGEMENT_SERVICE}`,
      type: FLEET_SNAPSHOT_ANSWERED,
      subject: request.id,
      time: now.toISOString(),
      datacontenttype: 'application/json',
      sequence: 1,
      ...(request.correlationid && { correlationid: request.correlationid }),
      data: { instanceId: this.config.INSTANCE_ID, drones: this.flown.current(now.getTime()) },
    };
    const producer = await this.connectedProducer();
    await producer.send({
      topic: request.data.replyTopic,
      acks: -1,
      messages: [{ key: request.id, value: JSON.stringify(answer) }],
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const producer = await this.producer?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = createIdempotentProducer({
        clientId: `${DRONE_MANAGEMENT_SERVICE}-fleet-snapshot`,
        brokers: this.config.KAFKA_BROKERS,
        tls: kafkaTls(this.config),
      });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.producer = undefined;
      throw error;
    });
    return this.producer;
  }
}
