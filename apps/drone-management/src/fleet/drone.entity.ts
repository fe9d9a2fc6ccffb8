import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { type DroneFlightState, type DroneView, type GeoPoint } from '@drone-delivery/contracts';

export type DroneStatus = DroneView['status'];

/** Postgres returns bigint as a string; a telemetry sequence stays far below 2^53. */
const BIGINT_AS_NUMBER = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

@Entity('drones')
export class Drone {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  /**
   * `idle` when the drone can take a delivery: on the ground at its base, charged. `assigned`
   * from its assignment until it is back and recharged (flight state `idle` again).
   */
  @Column('text') status!: DroneStatus;
  @Column('double precision', { name: 'location_lat' }) locationLat!: number;
  @Column('double precision', { name: 'location_lng' }) locationLng!: number;
  @Column('double precision', { name: 'home_lat' }) homeLat!: number;
  @Column('double precision', { name: 'home_lng' }) homeLng!: number;
  @Column('double precision', { name: 'max_payload_kg' }) maxPayloadKg!: number;
  @Column('double precision', { name: 'max_range_km' }) maxRangeKm!: number;
  @Column('double precision', { name: 'battery_percent' }) batteryPercent!: number;

  // The flight simulator's state (see flight/flight-step.ts): what a restart continues from.
  @Column('text', { name: 'flight_state' }) flightState!: DroneFlightState;
  /** The delivery in the telemetry: the one flown, or just completed on the way home. */
  @Column('uuid', { name: 'flight_delivery_id', nullable: true }) flightDeliveryId!: string | null;
  /** When the current flight state (the leg) began. */
  @Column('timestamptz', { name: 'state_since' }) stateSince!: Date;
  /** The moment the location and battery columns describe. */
  @Column('timestamptz', { name: 'positioned_at' }) positionedAt!: Date;
  /** The `sequence` of the last telemetry report: reports of one drone count up from 1. */
  @Column('bigint', { name: 'telemetry_sequence', transformer: BIGINT_AS_NUMBER })
  telemetrySequence!: number;
  @Column('timestamptz', { name: 'telemetry_reported_at', nullable: true })
  telemetryReportedAt!: Date | null;
  /** Set by the API when it changed the flight: the next tick reports it, idle or not. */
  @Column('boolean', { name: 'telemetry_due' }) telemetryDue!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  get location(): GeoPoint {
    return { lat: this.locationLat, lng: this.locationLng };
  }

  get homeBase(): GeoPoint {
    return { lat: this.homeLat, lng: this.homeLng };
  }
}
