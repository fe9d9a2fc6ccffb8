import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Someone who wants to hear about a delivery: one row per subscribe request, with each channel
 * it named (at least one). `lastSequence` numbers the commands sent for it, under its row lock.
 */
@Entity('notification_subscriptions')
export class NotificationSubscription {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text', { nullable: true }) email!: string | null;
  /** E.164. */
  @Column('text', { nullable: true }) sms!: string | null;
  @Column('text', { name: 'webhook_url', nullable: true }) webhookUrl!: string | null;
  /** Signs the webhook calls (HMAC-SHA256); shown to the subscriber once, when created. */
  @Column('text', { name: 'webhook_secret', nullable: true }) webhookSecret!: string | null;
  /** Sequence of the newest command written for this subscription (0 before the first). */
  @Column('integer', { name: 'last_sequence' }) lastSequence!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
