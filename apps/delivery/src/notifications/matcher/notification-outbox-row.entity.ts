import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type NotificationChannel, type SendNotificationCommand } from '@drone-delivery/contracts';

/**
 * A notification command waiting to be published to `notification.commands.v1`: the shared
 * outbox shape plus what names the notification (subscription, event, channel; unique, so an
 * event can never be turned into two commands for one channel) and its sequence. Written in the
 * transaction that records the delivery event in the matcher's inbox.
 */
@Entity('notification_outbox')
export class NotificationOutboxRow {
  /** Write order; the relay publishes in it. bigint arrives as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) position!: string;
  /** The command's CloudEvents id (UUIDv7). */
  @Column('uuid', { unique: true }) id!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  @Column('text', { name: 'event_id' }) eventId!: string;
  @Column('text') channel!: NotificationChannel;
  @Column('integer') sequence!: number;
  @Column('text') topic!: string;
  @Column('text') key!: string;
  @Column('jsonb') payload!: SendNotificationCommand;
  @Column('jsonb', { default: () => "'{}'::jsonb" }) headers!: Record<string, string>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
}
