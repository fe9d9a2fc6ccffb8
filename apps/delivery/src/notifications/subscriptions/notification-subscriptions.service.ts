import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { type NotificationSubscriptionRequest } from '@drone-delivery/contracts';
import { type Caller } from '@drone-delivery/http';
import { DeliveriesService } from '../../deliveries/deliveries.service';
import { NotificationDelivery } from '../notifier/notification-delivery.entity';
import {
  type NotificationRecordViewDto,
  type NotificationSubscriptionViewDto,
} from './notification-subscription-view.dto';
import { NotificationSubscription } from './notification-subscription.entity';
import { subscriptionNotFound } from './notification-subscription-problems';

/** Subscriptions to a delivery's events. The matcher reads them; nothing here sends anything. */
@Injectable()
export class NotificationSubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesService,
  ) {}

  /**
   * Stores a subscription to a delivery the caller may see (404 otherwise, as for an unknown
   * one); it hears of every event of the delivery the matcher handles from now on. A webhook
   * gets a fresh random secret, returned here and never again. `request` has been checked
   * (NotificationSubscriptionRequestPipe).
   */
  async subscribe(
    deliveryId: string,
    request: NotificationSubscriptionRequest,
    caller: Caller,
  ): Promise<NotificationSubscriptionViewDto> {
    const delivery = await this.deliveries.findOwnedDelivery(deliveryId, caller);
    const subscription = Object.assign(new NotificationSubscription(), {
      id: uuidv7(),
      deliveryId: delivery.id,
      email: request.email ?? null,
      sms: request.sms ?? null,
      webhookUrl: request.webhookUrl ?? null,
      webhookSecret: request.webhookUrl === undefined ? null : newWebhookSecret(),
      lastSequence: 0,
      createdAt: new Date(),
    } satisfies NotificationSubscription);
    // Deliveries are never deleted, so the one just read is still there for the foreign key.
    await this.dataSource.manager.insert(NotificationSubscription, subscription);
    const view = toSubscriptionView(subscription, []);
    return subscription.webhookSecret === null
      ? view
      : { ...view, webhookSecret: subscription.webhookSecret };
  }

  /**
   * A subscription of a delivery the caller may see, with what became of its notifications;
   * another account's is 404 like an unknown one.
   */
  async findSubscription(
    deliveryId: string,
    subscriptionId: string,
    caller: Caller,
  ): Promise<NotificationSubscriptionViewDto> {
    const delivery = await this.deliveries.findOwnedDelivery(deliveryId, caller);
    const subscription = await this.dataSource.manager.findOneBy(NotificationSubscription, {
      id: subscriptionId,
      deliveryId: delivery.id,
    });
    if (!subscription) throw subscriptionNotFound(delivery.id, subscriptionId);
    const records = await this.dataSource.manager.find(NotificationDelivery, {
      where: { subscriptionId: subscription.id },
      order: { updatedAt: 'ASC', eventId: 'ASC', channel: 'ASC' },
    });
    return toSubscriptionView(subscription, records.map(toRecordView));
  }
}

/** 256 random bits, URL-safe: enough that nobody guesses it, short enough to paste. */
function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function toSubscriptionView(
  subscription: NotificationSubscription,
  notifications: NotificationRecordViewDto[],
): NotificationSubscriptionViewDto {
  return {
    subscriptionId: subscription.id,
    deliveryId: subscription.deliveryId,
    ...(subscription.email !== null && { email: subscription.email }),
    ...(subscription.sms !== null && { sms: subscription.sms }),
    ...(subscription.webhookUrl !== null && { webhookUrl: subscription.webhookUrl }),
    createdAt: subscription.createdAt.toISOString(),
    notifications,
  };
}

function toRecordView(record: NotificationDelivery): NotificationRecordViewDto {
  return {
    eventId: record.eventId,
    channel: record.channel,
    status: record.status,
    attempts: record.attempts,
    ...(record.lastError !== null && { lastError: record.lastError }),
    updatedAt: record.updatedAt.toISOString(),
  };
}
