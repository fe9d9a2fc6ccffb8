import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type DeliveryEvent,
  type NotificationChannel,
  notificationTargetProblem,
  parseNotificationCommand,
  TOPICS,
} from '@drone-delivery/contracts';
import { currentCorrelationId } from '@drone-delivery/http';
import { recordInInbox } from '@drone-delivery/messaging';
import { outboxHeaders } from '../../outbox/outbox.service';
import { NotificationDelivery } from '../notifier/notification-delivery.entity';
import { NotificationSubscription } from '../subscriptions/notification-subscription.entity';
import { notificationCommandEnvelope } from './notification-command-envelope';
import { deliveryEventName, notificationMessage } from './notification-messages';
import { NotificationOutboxRow } from './notification-outbox-row.entity';

/** The matcher's name in the inbox. */
export const NOTIFICATION_MATCHER = 'notification-matcher';

/**
 * Turns delivery events into notification commands: one per channel of every subscription the
 * delivery has when the event is handled. The inbox record and the commands (in the
 * notification outbox) commit together, so an event seen twice, redelivered or duplicated,
 * yields its commands once.
 *
 * A subscription whose address does not fit its channel (a row older than the rule) gets no
 * command for that channel: its notification is recorded `failed` in the same transaction, and
 * the event and every other subscription go on. One bad row must not dead-letter the event.
 */
@Injectable()
export class NotificationMatcherService {
  private readonly logger = new Logger(NotificationMatcherService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Answers how many commands it wrote: 0 for an event it had handled before. */
  async matchDeliveryEvent(event: DeliveryEvent): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await recordInInbox(manager, NOTIFICATION_MATCHER, event.id))) return 0;
      // Locked: each subscription's command sequence advances without gaps or repeats.
      const subscriptions = await manager.find(NotificationSubscription, {
        where: { deliveryId: event.data.deliveryId.toLowerCase() },
        order: { createdAt: 'ASC', id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const message = notificationMessage(event);
      const time = new Date();
      const headers = outboxHeaders();
      const rows: NotificationOutboxRow[] = [];
      const unsendable: NotificationDelivery[] = [];
      for (const subscription of subscriptions) {
        for (const [channel, target] of channelsOf(subscription)) {
          const problem = notificationTargetProblem(channel, target);
          if (problem !== undefined) {
            unsendable.push(
              manager.create(NotificationDelivery, {
                subscriptionId: subscription.id,
                eventId: event.id,
                channel,
                status: 'failed',
                attempts: 0,
                lastError: `not sent: ${problem}`,
                sentAt: null,
                updatedAt: time,
              }),
            );
            this.logger.warn(
              `subscription ${subscription.id} gets no ${channel} notification of event ` +
                `${event.id}: ${problem}`,
            );
            continue;
          }
          subscription.lastSequence += 1;
          // Checked like a consumer checks it: a bug fails here, not in the notifier.
          const command = parseNotificationCommand(
            notificationCommandEnvelope({
              sequence: subscription.lastSequence,
              time,
              correlationId: currentCorrelationId(),
              traceparent: headers['traceparent'],
              data: {
                subscriptionId: subscription.id,
                deliveryId: subscription.deliveryId,
                eventId: event.id,
                eventType: deliveryEventName(event),
                occurredAt: event.time,
                channel,
                target,
                ...message,
              },
            }),
          );
          rows.push(
            manager.create(NotificationOutboxRow, {
              id: command.id,
              subscriptionId: subscription.id,
              eventId: event.id,
              channel,
              sequence: command.sequence,
              topic: TOPICS.notificationCommands.name,
              key: subscription.id,
              payload: command,
              headers,
            }),
          );
        }
        await manager.update(
          NotificationSubscription,
          { id: subscription.id },
          { lastSequence: subscription.lastSequence },
        );
      }
      if (rows.length > 0) await manager.insert(NotificationOutboxRow, rows);
      if (unsendable.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(NotificationDelivery)
          .values(unsendable)
          .orIgnore()
          .execute();
      }
      return rows.length;
    });
  }
}

/** The channels a subscription named, each with where to send. */
function channelsOf(subscription: NotificationSubscription): [NotificationChannel, string][] {
  const channels: [NotificationChannel, string | null][] = [
    ['email', subscription.email],
    ['sms', subscription.sms],
    ['webhook', subscription.webhookUrl],
  ];
  return channels.filter(
    (channel): channel is [NotificationChannel, string] => channel[1] !== null,
  );
}
