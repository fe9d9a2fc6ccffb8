import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { type DroneView, type GeoPoint } from '@drone-delivery/contracts';

export type DroneStatus = DroneView['status'];

@Entity('drones')
export class Drone {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  /** `assigned` while the drone has an active assignment (the row lock taken to assign it). */
  @Column('text') status!: DroneStatus;
  @Column('double precision', { name: 'location_lat' }) locationLat!: number;
  @Column('double precision', { name: 'location_lng' }) locationLng!: number;
  @Column('double precision', { name: 'home_lat' }) homeLat!: number;
  @Column('double precision', { name: 'home_lng' }) homeLng!: number;
  @Column('double precision', { name: 'max_payload_kg' }) maxPayloadKg!: number;
  @Column('double precision', { name: 'max_range_km' }) maxRangeKm!: number;
  @Column('double precision', { name: 'battery_percent' }) batteryPercent!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  get location(): GeoPoint {
    return { lat: this.locationLat, lng: this.locationLng };
  }

  get homeBase(): GeoPoint {
    return { lat: this.homeLat, lng: this.homeLng };
  }
}
