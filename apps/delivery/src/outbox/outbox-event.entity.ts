import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type DeliveryEvent, type DeliveryEventType } from '@drone-delivery/contracts';

/**
 * An event waiting to be published to Kafka (the shared outbox shape OutboxRelay reads, plus the
 * delivery, its sequence and the event type). Written in the transaction of the change it
 * announces, so an event exists exactly when its change does.
 */
@Entity('outbox')
export class OutboxEvent {
  /** Write order; the relay publishes in it. bigint arrives as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) position!: string;
  /** The CloudEvents id (UUIDv7); consumers deduplicate by it. */
  @Column('uuid', { unique: true }) id!: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('integer') sequence!: number;
  @Column('text') type!: DeliveryEventType;
  @Column('text') topic!: string;
  @Column('text') key!: string;
  @Column('jsonb') payload!: DeliveryEvent;
  @Column('jsonb', { default: () => "'{}'::jsonb" }) headers!: Record<string, string>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
}
