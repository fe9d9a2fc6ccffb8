import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type NotificationChannel } from '@drone-delivery/contracts';

export type NotificationDeliveryStatus = 'sent' | 'failed';

/**
 * What became of one notification, (subscription, event, channel): `sent` once a send was
 * accepted (a command for it again is skipped), or `failed` after the bounded retries (a
 * command for it again tries again). Written by the notifier, and by the matcher for an address
 * that does not fit its channel (no command is written for it).
 */
@Entity('notification_deliveries')
export class NotificationDelivery {
  @PrimaryColumn('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  @PrimaryColumn('text', { name: 'event_id' }) eventId!: string;
  @PrimaryColumn('text') channel!: NotificationChannel;
  @Column('text') status!: NotificationDeliveryStatus;
  /** Sends tried, over every command for this notification. */
  @Column('integer') attempts!: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
