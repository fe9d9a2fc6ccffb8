import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { type ProblemDetails } from '@drone-delivery/contracts';
import { type SagaStep } from './saga-steps';
import { type ScheduleRequest } from './schedule-request';

/**
 * - `pending`: running forward (or its runner died and recovery will re-run it);
 * - `compensating`: failed, and some step is still to be undone;
 * - `succeeded` / `failed`: finished; `failed` means everything done was undone.
 */
export const SAGA_STATES = ['pending', 'compensating', 'succeeded', 'failed'] as const;
export type SagaState = (typeof SAGA_STATES)[number];

/** The 201 body of a scheduled delivery, kept to answer a repeated Idempotency-Key. */
export interface ScheduledDelivery {
  deliveryId: string;
  packageId: string;
  droneId: string;
  stage: 'Created';
  pickupEta: string;
  dropoffEta: string;
}

/** One schedule-delivery saga: its ids, fixed up front, and how far it got. */
@Entity('saga_log')
export class SagaLog {
  @PrimaryColumn('uuid', { name: 'request_id' }) requestId!: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('uuid', { name: 'package_id' }) packageId!: string;
  /** Whose delivery it is (also in `request`): the scope of the Idempotency-Key and of reads. */
  @Column('uuid', { name: 'account_id' }) accountId!: string;

  /**
   * Unique per account while it holds; given back (null) when the saga fails with a 5xx or 429
   * worth retrying.
   */
  @Column('text', { name: 'idempotency_key', nullable: true }) idempotencyKey!: string | null;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('jsonb') request!: ScheduleRequest;

  @Column('text') state!: SagaState;
  /**
   * The newest step whose effect exists: set as steps complete, stepped back as compensation
   * undoes them.
   */
  @Column('text', { name: 'last_completed_step', nullable: true })
  lastCompletedStep!: SagaStep | null;
  /** A step whose call got no answer: it may have taken effect, so it is undone too. */
  @Column('text', { name: 'uncertain_step', nullable: true }) uncertainStep!: SagaStep | null;
  @Column('uuid', { name: 'drone_id', nullable: true }) droneId!: string | null;

  @Column('jsonb', { nullable: true }) result!: ScheduledDelivery | null;
  /** Why it failed, as the problem document the client gets. */
  @Column('jsonb', { nullable: true }) error!: ProblemDetails | null;

  /** Which runner (a request or a recovery sweep) holds the saga, and until when. */
  @Column('uuid', { name: 'lease_owner', nullable: true }) leaseOwner!: string | null;
  @Column('timestamptz', { name: 'lease_until' }) leaseUntil!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
