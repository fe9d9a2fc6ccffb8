import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  notificationTargetProblem,
  type SendNotificationCommand,
  type SendNotificationData,
} from '@drone-delivery/contracts';
import { type DeliveryConfig } from '../../config/delivery.config';
import { DELIVERY_CONFIG } from '../../config/delivery.config.token';
import { NotificationSubscription } from '../subscriptions/notification-subscription.entity';
import { NOTIFICATION_SENDERS, type NotificationSender } from './channels/notification-sender';
import { describeSendFailure } from './channels/send-failure';
import { NotificationDelivery } from './notification-delivery.entity';
import { sendRetryPolicy } from './send-retry-policy';

/** What became of one command, for logs and tests; a refused one is dead-lettered. */
export type NotifyOutcome =
  { status: 'sent' | 'failed' | 'already-sent' } | { status: 'refused'; reason: string };

/** What the sends of one command came to: what notification_deliveries records. */
type SendOutcome =
  { status: 'sent'; attempts: number } | { status: 'failed'; attempts: number; error: string };

/** How often the consumer tells the broker it is alive while one notification is being sent. */
const HEARTBEAT_INTERVAL_MS = 3_000;

/**
 * Sends what notification commands ask for, once per (subscription, event, channel) as far as
 * the sender allows: the outcome is recorded in notification_deliveries, and a command whose
 * notification is recorded `sent` is skipped, so a command delivered twice sends once.
 *
 * A notification goes only to the address stored with its subscription: anyone who can produce
 * to the topic could otherwise have a victim's webhook secret sign calls to any URL. A command
 * naming no subscription of ours, another delivery or another target is refused (dead-lettered
 * with the reason), never sent.
 *
 * At least once, not exactly once: a crash (or a failing database) after a send was accepted
 * and before `sent` is recorded leaves no record, so the redelivered command sends it again.
 * Nothing can close that gap without the receiver's help; the e-mail Message-ID, the SMS
 * idempotency key and the webhook's eventId let receivers spot the repeat.
 *
 * A failing send is retried here (sendRetryPolicy), up to NOTIFY_MAX_ATTEMPTS times; then it is
 * recorded `failed` (with the attempts and the last error) and the command counts as handled:
 * a receiver that is down must not block the partition or fill the dead-letter topic. A send
 * that cannot succeed (an address the service will not use) is recorded failed at once.
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
   * called while sends and backoffs run, so they do not make the broker think the consumer died.
   */
  async notify(
    command: SendNotificationCommand,
    stillAlive: () => Promise<void> = () => Promise.resolve(),
  ): Promise<NotifyOutcome> {
    const subscription = await this.dataSource.manager.findOneBy(NotificationSubscription, {
      id: command.data.subscriptionId,
    });
    const checked = storedTarget(command, subscription);
    if ('refusal' in checked) return { status: 'refused', reason: checked.refusal };
    const recorded = await this.dataSource.manager.findOneBy(NotificationDelivery, {
      subscriptionId: command.data.subscriptionId,
      eventId: command.data.eventId,
      channel: command.data.channel,
    });
    if (recorded?.status === 'sent') return { status: 'already-sent' };

    // The stored address (equal to the command's, checked above) and the rule it must follow
    // here too: a row older than the rule is recorded failed, not sent.
    const notification = { ...command.data, target: checked.target };
    const sender = this.senders[notification.channel];
    const problem = notificationTargetProblem(notification.channel, notification.target);
    const outcome: SendOutcome =
      sender.unavailableReason !== undefined
        ? { status: 'failed', attempts: 0, error: sender.unavailableReason }
        : problem !== undefined
          ? { status: 'failed', attempts: 0, error: `not sent: ${problem}` }
          : await this.sendWithRetries(sender, notification, checked.subscription, stillAlive);
    // A crash (or a database failure) before this commits leaves a sent notification
    // unrecorded: the command is redelivered and sends it again.
    await this.record(notification, outcome);
    if (outcome.status === 'failed') {
      this.logger.warn(
        `${describe(notification)} failed after ${outcome.attempts} attempt(s): ${outcome.error}`,
      );
    }
    return { status: outcome.status };
  }

  /** Up to NOTIFY_MAX_ATTEMPTS sends, with capped exponential backoff between them. */
  private async sendWithRetries(
    sender: NotificationSender,
    notification: SendNotificationData,
    subscription: NotificationSubscription,
    stillAlive: () => Promise<void>,
  ): Promise<SendOutcome> {
    const maxAttempts = this.config.NOTIFY_MAX_ATTEMPTS;
    const policy = sendRetryPolicy({
      maxAttempts,
      initialBackoffMs: this.config.NOTIFY_BACKOFF_MS,
      maxBackoffMs: this.config.NOTIFY_BACKOFF_MAX_MS,
    });
    policy.onRetry((retry) => {
      const reason = 'error' in retry ? describeSendFailure(retry.error) : 'no error';
      this.logger.warn(
        `${describe(notification)} failed (attempt ${retry.attempt}/${maxAttempts}), ` +
          `retrying in ${Math.round(retry.delay)} ms: ${reason}`,
      );
    });
    // A failed heartbeat (a rebalance) is not the send's failure: the commit after it will tell.
    const heartbeat = setInterval(
      () => void stillAlive().catch(() => undefined),
      HEARTBEAT_INTERVAL_MS,
    );
    let attempts = 0;
    try {
      await policy.execute(() => {
        attempts += 1;
        return sender.send(notification, subscription);
      });
      return { status: 'sent', attempts };
    } catch (error) {
      return { status: 'failed', attempts, error: describeSendFailure(error) };
    } finally {
      clearInterval(heartbeat);
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

/**
 * The subscription and its stored address for the command's channel when the command names
 * them as they are stored; otherwise why it must not be sent.
 */
function storedTarget(
  command: SendNotificationCommand,
  subscription: NotificationSubscription | null,
): { subscription: NotificationSubscription; target: string } | { refusal: string } {
  const { data } = command;
  if (command.subject !== data.subscriptionId) {
    return { refusal: `its subject ${command.subject} is not its subscription` };
  }
  if (subscription === null) return { refusal: `there is no subscription ${data.subscriptionId}` };
  if (subscription.deliveryId !== data.deliveryId.toLowerCase()) {
    return {
      refusal: `subscription ${subscription.id} is not one of delivery ${data.deliveryId}`,
    };
  }
  const target = targetOf(subscription, data.channel);
  if (target === null || target !== data.target) {
    return { refusal: `its ${data.channel} target is not the one the subscription gave` };
  }
  return { subscription, target };
}

/** The stored address of one channel of the subscription; null when it has no such channel. */
function targetOf(
  subscription: NotificationSubscription,
  channel: NotificationChannel,
): string | null {
  switch (channel) {
    case 'email':
      return subscription.email;
    case 'sms':
      return subscription.sms;
    case 'webhook':
      return subscription.webhookUrl;
  }
}

function describe(notification: SendNotificationData): string {
  return (
    `${notification.channel} notification of ${notification.eventType} ${notification.eventId} ` +
    `to subscription ${notification.subscriptionId}`
  );
}
