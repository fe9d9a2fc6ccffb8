import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type DeliveryEventName } from '@drone-delivery/contracts';

/** One delivery event as received. Rows arrive in any order; `sequence` orders them. */
@Entity('timeline_events')
export class TimelineEvent {
  @PrimaryColumn('text', { name: 'event_id' }) eventId!: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text') type!: DeliveryEventName;
  @Column('integer') sequence!: number;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
}
