import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseDeliveryEvent, TOPICS } from '@drone-delivery/contracts';
import { parseMessage } from '@drone-delivery/messaging';
import { DeliveryEventRecorder } from './delivery-event-recorder.service';
import { toHistoryEvent } from './history-event';

/**
 * Reads `delivery.events.v1`. The offset is committed only once this handler resolved, i.e. once
 * the event is durably recorded; a message that fails validation is dead-lettered at once.
 */
@Controller()
export class DeliveryEventsConsumer {
  constructor(private readonly recorder: DeliveryEventRecorder) {}

  @EventPattern(TOPICS.deliveryEvents.name)
  async recordDeliveryEvent(@Payload() message: unknown): Promise<void> {
    await this.recorder.record(toHistoryEvent(parseMessage(parseDeliveryEvent, message)));
  }
}
