import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type DeliveryStage } from '@drone-delivery/contracts';

/**
 * What search needs of one delivery, folded from its events in any arrival order: the stage of
 * the highest sequence seen, and the account and creation time once DeliveryCreated is in.
 */
@Entity('delivery_summaries')
export class DeliverySummary {
  @PrimaryColumn('uuid', { name: 'delivery_id' }) deliveryId!: string;
  /** Null until DeliveryCreated has arrived. */
  @Column('uuid', { name: 'account_id', nullable: true }) accountId!: string | null;
  @Column('text') stage!: DeliveryStage;
  /** Sequence of the event `stage` and `updatedAt` come from. */
  @Column('integer', { name: 'latest_sequence' }) latestSequence!: number;
  /** DeliveryCreated's time; null until it has arrived. */
  @Column('timestamptz', { name: 'created_at', nullable: true }) createdAt!: Date | null;
  /** Time of the event with the highest sequence. */
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
