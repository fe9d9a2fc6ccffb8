import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseDeliveryEvent, TOPICS } from '@drone-delivery/contracts';
import { withCorrelationId } from '@drone-delivery/http';
import { parseMessage } from '@drone-delivery/messaging';
import { DELIVERY_CONSUMERS } from '../../delivery-consumers';
import { NotificationMatcherService } from './notification-matcher.service';

/**
 * Consumes `delivery.events.v1` in its own consumer group: each event becomes the notification
 * commands of the delivery's subscribers. The handler resolves once they committed, so the
 * offset is committed after that; a failure is retried, then dead-lettered.
 */
@Controller()
export class NotificationMatcherController {
  constructor(private readonly matcher: NotificationMatcherService) {}

  @EventPattern<string>(TOPICS.deliveryEvents.name, DELIVERY_CONSUMERS.notificationMatcher)
  async matchSubscriptions(@Payload() message: unknown): Promise<void> {
    const event = parseMessage(parseDeliveryEvent, message);
    // Commands carry the event's correlation id, or else its id: their cause.
    await withCorrelationId(event.correlationid ?? event.id, () =>
      this.matcher.matchDeliveryEvent(event),
    );
  }
}
