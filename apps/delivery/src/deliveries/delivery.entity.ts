import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  type ConfirmationType,
  type DeliveryStage,
  type DroneFlightState,
} from '@drone-delivery/contracts';

/** bigint arrives from the driver as a string; drone sequences stay far below 2^53. */
const BIGINT_AS_NUMBER = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * One delivery. Positions are lat/lng column pairs (checked ranges in the schema); instants are
 * timestamptz. `updatedAt` is set by the service to the time of the event it records, so the
 * delivery and its newest event agree on when it changed.
 */
@Entity('deliveries')
export class Delivery {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'package_id' }) packageId!: string;
  @Column('uuid', { name: 'drone_id' }) droneId!: string;
  @Column('double precision', { name: 'pickup_lat' }) pickupLat!: number;
  @Column('double precision', { name: 'pickup_lng' }) pickupLng!: number;
  @Column('double precision', { name: 'dropoff_lat' }) dropoffLat!: number;
  @Column('double precision', { name: 'dropoff_lng' }) dropoffLng!: number;
  @Column('timestamptz', { name: 'pickup_time', nullable: true }) pickupTime!: Date | null;
  @Column('timestamptz', { nullable: true }) deadline!: Date | null;
  @Column('boolean') expedited!: boolean;
  @Column('text', { name: 'confirmation_required' }) confirmationRequired!: ConfirmationType;
  @Column('timestamptz', { name: 'pickup_eta' }) pickupEta!: Date;
  @Column('timestamptz', { name: 'dropoff_eta' }) dropoffEta!: Date;
  @Column('text') stage!: DeliveryStage;
  @Column('double precision', { name: 'last_known_lat', nullable: true })
  lastKnownLat!: number | null;
  @Column('double precision', { name: 'last_known_lng', nullable: true })
  lastKnownLng!: number | null;
  /** Sequence of the newest event written for this delivery (0 before the first). */
  @Column('integer', { name: 'last_sequence' }) lastSequence!: number;
  /** The newest drone report applied (time, the drone's sequence, state); null before the first. */
  @Column('timestamptz', { name: 'last_report_at', nullable: true }) lastReportAt!: Date | null;
  @Column('bigint', {
    name: 'last_report_sequence',
    nullable: true,
    transformer: BIGINT_AS_NUMBER,
  })
  lastReportSequence!: number | null;
  @Column('text', { name: 'last_report_state', nullable: true })
  lastReportState!: DroneFlightState | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
