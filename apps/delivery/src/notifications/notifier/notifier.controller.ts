import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext, Payload } from '@nestjs/microservices';
import { parseNotificationCommand, TOPICS } from '@drone-delivery/contracts';
import { withCorrelationId } from '@drone-delivery/http';
import { InvalidMessageError, parseMessage } from '@drone-delivery/messaging';
import { DELIVERY_CONSUMERS } from '../../delivery-consumers';
import { NotifierService } from './notifier.service';

/**
 * Consumes `notification.commands.v1` in its own consumer group and sends each notification.
 * A malformed command is dead-lettered, and so is one the notifier refuses (no such subscription,
 * another delivery or another target than the stored one), with the reason in its headers; a send that
 * keeps failing is recorded, not dead-lettered (see NotifierService); the offset is committed
 * once the outcome is recorded.
 */
@Controller()
export class NotifierController {
  constructor(private readonly notifier: NotifierService) {}

  @EventPattern<string>(TOPICS.notificationCommands.name, DELIVERY_CONSUMERS.notifier)
  async sendNotification(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const command = parseMessage(parseNotificationCommand, message);
    await withCorrelationId(command.correlationid ?? command.id, async () => {
      const outcome = await this.notifier.notify(command, () => context.getHeartbeat()());
      if (outcome.status === 'refused') {
        throw new InvalidMessageError(`refused, not sent: ${outcome.reason}`);
      }
    });
  }
}
