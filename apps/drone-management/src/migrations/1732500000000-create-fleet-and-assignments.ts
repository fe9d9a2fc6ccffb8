import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateFleetAndAssignments1732500000000 implements MigrationInterface {
  name = 'CreateFleetAndAssignments1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE drones (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('idle', 'assigned')),
        location_lat double precision NOT NULL,
        location_lng double precision NOT NULL,
        home_lat double precision NOT NULL,
        home_lng double precision NOT NULL,
        max_payload_kg double precision NOT NULL CHECK (max_payload_kg > 0),
        max_range_km double precision NOT NULL CHECK (max_range_km > 0),
        battery_percent double precision NOT NULL CHECK (battery_percent BETWEEN 0 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A row without a drone is a tombstone: the release (saga compensation) arrived before the
    // assignment it undoes, and the late assignment must then not take a drone.
    await queryRunner.query(`
      CREATE TABLE assignments (
        delivery_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('active', 'released')),
        drone_id uuid REFERENCES drones (id),
        pickup_lat double precision,
        pickup_lng double precision,
        dropoff_lat double precision,
        dropoff_lng double precision,
        package_weight_kg double precision CHECK (package_weight_kg > 0),
        requested_pickup_time timestamptz,
        pickup_eta timestamptz,
        dropoff_eta timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        CONSTRAINT assignments_planned_or_tombstone CHECK (
          (drone_id IS NULL AND status = 'released')
          OR num_nulls(drone_id, pickup_lat, pickup_lng, dropoff_lat, dropoff_lng,
                       package_weight_kg, pickup_eta, dropoff_eta) = 0
        )
      )`);
    // The backstop under the row locks: one active assignment per drone, whatever the code does.
    await queryRunner.query(`
      CREATE UNIQUE INDEX assignments_one_active_per_drone
        ON assignments (drone_id) WHERE status = 'active'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE assignments');
    await queryRunner.query('DROP TABLE drones');
  }
}
