import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { type AssignmentView } from '@drone-delivery/contracts';

export type AssignmentStatus = AssignmentView['status'];

/**
 * One delivery's claim on one drone: `active` until the drone has unloaded the package
 * (`completed`) or the delivery let it go (`released`). The route columns are null only in a tombstone (no drone,
 * status `released`): a release that came before its assignment (see AssignmentsService.release).
 */
@Entity('assignments')
export class Assignment {
  @PrimaryColumn('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text') status!: AssignmentStatus;
  @Column('uuid', { name: 'drone_id', nullable: true }) droneId!: string | null;
  @Column('double precision', { name: 'pickup_lat', nullable: true }) pickupLat!: number | null;
  @Column('double precision', { name: 'pickup_lng', nullable: true }) pickupLng!: number | null;
  @Column('double precision', { name: 'dropoff_lat', nullable: true }) dropoffLat!: number | null;
  @Column('double precision', { name: 'dropoff_lng', nullable: true }) dropoffLng!: number | null;
  @Column('double precision', { name: 'package_weight_kg', nullable: true })
  packageWeightKg!: number | null;
  /** The pickup time the caller asked for; null means "as soon as possible". */
  @Column('timestamptz', { name: 'requested_pickup_time', nullable: true })
  requestedPickupTime!: Date | null;
  @Column('timestamptz', { name: 'pickup_eta', nullable: true }) pickupEta!: Date | null;
  @Column('timestamptz', { name: 'dropoff_eta', nullable: true }) dropoffEta!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'released_at', nullable: true }) releasedAt!: Date | null;
  /** When the drone had unloaded the package: from then on it no longer flies for this delivery. */
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
}
