import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  EventValidationError,
  parseDeliveryEvent,
  parseDroneTelemetry,
  TOPICS,
} from '@drone-delivery/contracts';
import { STREAM_CONSUMERS } from './stream.constants';
import { StreamHub } from './stream-hub';

/**
 * Feeds the live stream from Kafka, in consumer groups of this gateway instance's own (every
 * replica sees every message). The stream is not the system of record: a message that breaks
 * the contract is dropped here with a warning (delivery's and delivery-history's own consumers
 * dead-letter it), and one missed never leaves a gap, as sessions fill gaps from the history.
 */
@Controller()
export class StreamConsumer {
  private readonly logger = new Logger(StreamConsumer.name);

  constructor(private readonly hub: StreamHub) {}

  @EventPattern<string>(TOPICS.deliveryEvents.name, STREAM_CONSUMERS.deliveryEvents)
  forwardDeliveryEvent(@Payload() message: unknown): void {
    this.dropIfInvalid(TOPICS.deliveryEvents.name, () =>
      this.hub.deliveryEvent(parseDeliveryEvent(message)),
    );
  }

  @EventPattern<string>(TOPICS.droneTelemetry.name, STREAM_CONSUMERS.telemetry)
  forwardPosition(@Payload() message: unknown): void {
    this.dropIfInvalid(TOPICS.droneTelemetry.name, () =>
      this.hub.telemetry(parseDroneTelemetry(message)),
    );
  }

  private dropIfInvalid(topic: string, forward: () => void): void {
    try {
      forward();
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      this.logger.warn(`a message of ${topic} was not streamed: ${error.message}`);
    }
  }
}
