import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import {
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type SendNotificationCommand,
  type SendNotificationData,
} from '@drone-delivery/contracts';
import { type DeliveryConfig } from '../../config/delivery.config';
import { DELIVERY_CONFIG } from '../../config/delivery.config.token';
import { NotificationSubscription } from '../subscriptions/notification-subscription.entity';
import { NOTIFICATION_SENDERS, type NotificationSender } from './channels/notification-sender';
import { describeSendFailure } from './channels/send-failure';
import { NotificationDelivery } from './notification-delivery.entity';

/** What became of one command, for logs and tests. */
export type NotifyOutcome = 'sent' | 'failed' | 'already-sent' | 'unknown-subscription';

/** What the sends of one command came to: what notification_deliveries records. */
type SendOutcome =
  { status: 'sent'; attempts: number } | { status: 'failed'; attempts: number; error: string };

/**
 * Sends what notification commands ask for, once per (subscription, event, channel) as far as
 * the sender allows: the outcome is recorded in notification_deliveries, and a command whose
 * notification is recorded `sent` is skipped, so a command delivered twice sends once.
 *
 * At least once, not exactly once: a crash (or a failing database) after a send was accepted
 * and before `sent` is recorded leaves no record, so the redelivered command sends it again.
 * Nothing can close that gap without the receiver's help; the e-mail Message-ID, the SMS
 * idempotency key and the webhook's eventId let receivers spot the repeat.
 *
 * A failing send is retried here, with backoff, up to NOTIFY_MAX_ATTEMPTS times; then it is
 * recorded `failed` (with the attempts and the last error) and the command counts as handled:
 * a receiver that is down must not block the partition or fill the dead-letter topic.
 * Commands of one subscription share a partition, so one notifier handles them one at a time.
 */
@Injectable()
export class NotifierService {
  private readonly logger = new Logger(NotifierService.name);
  private readonly senders: Record<NotificationChannel, NotificationSender>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(NOTIFICATION_SENDERS) senders: NotificationSender[],
  ) {
    this.senders = Object.fromEntries(
      NOTIFICATION_CHANNELS.map((channel) => {
        const sender = senders.find((candidate) => candidate.channel === channel);
        if (!sender) throw new Error(`no NotificationSender for the ${channel} channel`);
        return [channel, sender];
      }),
    ) as Record<NotificationChannel, NotificationSender>;
  }

  /**
   * Sends the notification unless it was sent before, and records the outcome. `stillAlive` is
   * called between attempts, so long backoffs do not make the broker think the consumer died.
   */
  async notify(
    command: SendNotificationCommand,
    stillAlive: () => Promise<void> = () => Promise.resolve(),
  ): Promise<NotifyOutcome> {
    const notification = command.data;
    const subscription = await this.dataSource.manager.findOneBy(NotificationSubscription, {
      id: notification.subscriptionId,
    });
    // Not one of ours (another deployment's command on a shared topic): never send it.
    if (!subscription) return 'unknown-subscription';
    const recorded = await this.dataSource.manager.findOneBy(NotificationDelivery, {
      subscriptionId: notification.subscriptionId,
      eventId: notification.eventId,
      channel: notification.channel,
    });
    if (recorded?.status === 'sent') return 'already-sent';

    const sender = this.senders[notification.channel];
    const outcome: SendOutcome =
      sender.unavailableReason === undefined
        ? await this.sendWithRetries(sender, notification, subscription, stillAlive)
        : { status: 'failed', attempts: 0, error: sender.unavailableReason };
    // A crash (or a database failure) before this commits leaves a sent notification
    // unrecorded: the command is redelivered and sends it again.
    await this.record(notification, outcome);
    if (outcome.status === 'failed') {
      this.logger.warn(
        `${describe(notification)} failed after ${outcome.attempts} attempt(s): ${outcome.error}`,
      );
    }
    return outcome.status;
  }

  /** Up to NOTIFY_MAX_ATTEMPTS sends, with exponential backoff between them. */
  private async sendWithRetries(
    sender: NotificationSender,
    notification: SendNotificationData,
    subscription: NotificationSubscription,
    stillAlive: () => Promise<void>,
  ): Promise<SendOutcome> {
    const maxAttempts = this.config.NOTIFY_MAX_ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      try {
        await sender.send(notification, subscription);
        return { status: 'sent', attempts: attempt };
      } catch (error) {
        const reason = describeSendFailure(error);
        if (attempt >= maxAttempts) return { status: 'failed', attempts: attempt, error: reason };
        const delayMs = this.config.NOTIFY_BACKOFF_MS * 2 ** (attempt - 1);
        this.logger.warn(
          `${describe(notification)} failed (attempt ${attempt}/${maxAttempts}), ` +
            `retrying in ${delayMs} ms: ${reason}`,
        );
        await sleep(delayMs);
        await stillAlive();
      }
    }
  }

  /**
   * Upserts the outcome; attempts add up over the commands of one notification. A `sent`
   * record is final: nothing overwrites it.
   */
  private async record(notification: SendNotificationData, outcome: SendOutcome): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_deliveries AS recorded
         (subscription_id, event_id, channel, status, attempts, last_error, sent_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 = 'sent' THEN now() END, now())
       ON CONFLICT (subscription_id, event_id, channel) DO UPDATE SET
         status = EXCLUDED.status,
         attempts = recorded.attempts + EXCLUDED.attempts,
         last_error = COALESCE(EXCLUDED.last_error, recorded.last_error),
         sent_at = EXCLUDED.sent_at,
         updated_at = now()
       WHERE recorded.status <> 'sent'`,
      [
        notification.subscriptionId,
        notification.eventId,
        notification.channel,
        outcome.status,
        outcome.attempts,
        outcome.status === 'failed' ? outcome.error.slice(0, 1_000) : null,
      ],
    );
  }
}

function describe(notification: SendNotificationData): string {
  return (
    `${notification.channel} notification of ${notification.eventType} ${notification.eventId} ` +
    `to subscription ${notification.subscriptionId}`
  );
}
