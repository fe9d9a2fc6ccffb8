import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { type CreateNotificationSubscriptionDto } from './create-notification-subscription.dto';
import { type NotificationSubscriptionViewDto } from './notification-subscription-view.dto';
import { NotificationSubscription } from './notification-subscription.entity';
import {
  deliveryToSubscribeNotFound,
  noChannelProblem,
  subscriptionNotFound,
} from './notification-subscription-problems';

/** Postgres' foreign_key_violation. */
const FOREIGN_KEY_VIOLATION = '23503';

/** Subscriptions to a delivery's events. The matcher reads them; nothing here sends anything. */
@Injectable()
export class NotificationSubscriptionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores a subscription; it hears of every event of the delivery the matcher handles from now
   * on. A webhook gets a fresh random secret, returned here and never again.
   */
  async subscribe(
    deliveryId: string,
    request: CreateNotificationSubscriptionDto,
  ): Promise<NotificationSubscriptionViewDto> {
    if (
      request.email === undefined &&
      request.sms === undefined &&
      request.webhookUrl === undefined
    )
      throw noChannelProblem();
    const subscription = Object.assign(new NotificationSubscription(), {
      id: uuidv7(),
      deliveryId: deliveryId.toLowerCase(),
      email: request.email ?? null,
      sms: request.sms ?? null,
      webhookUrl: request.webhookUrl ?? null,
      webhookSecret: request.webhookUrl === undefined ? null : newWebhookSecret(),
      lastSequence: 0,
      createdAt: new Date(),
    } satisfies NotificationSubscription);
    try {
      await this.dataSource.manager.insert(NotificationSubscription, subscription);
    } catch (error) {
      // The delivery must exist: the foreign key checks it in the same statement.
      if (isForeignKeyViolation(error)) throw deliveryToSubscribeNotFound(deliveryId);
      throw error;
    }
    const view = toSubscriptionView(subscription);
    return subscription.webhookSecret === null
      ? view
      : { ...view, webhookSecret: subscription.webhookSecret };
  }

  async findSubscription(
    deliveryId: string,
    subscriptionId: string,
  ): Promise<NotificationSubscriptionViewDto> {
    const subscription = await this.dataSource.manager.findOneBy(NotificationSubscription, {
      id: subscriptionId,
      deliveryId,
    });
    if (!subscription) throw subscriptionNotFound(deliveryId, subscriptionId);
    return toSubscriptionView(subscription);
  }
}

/** 256 random bits, URL-safe: enough that nobody guesses it, short enough to paste. */
function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function toSubscriptionView(
  subscription: NotificationSubscription,
): NotificationSubscriptionViewDto {
  return {
    subscriptionId: subscription.id,
    deliveryId: subscription.deliveryId,
    ...(subscription.email !== null && { email: subscription.email }),
    ...(subscription.sms !== null && { sms: subscription.sms }),
    ...(subscription.webhookUrl !== null && { webhookUrl: subscription.webhookUrl }),
    createdAt: subscription.createdAt.toISOString(),
  };
}

function isForeignKeyViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string }).code === FOREIGN_KEY_VIOLATION
  );
}
