import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The flight simulator's state per drone, so a restart continues every flight where it was; and
 * the `completed` assignment: the drone is no longer booked for a delivery it has unloaded.
 */
export class AddDroneFlights1732600000000 implements MigrationInterface {
  name = 'AddDroneFlights1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE drones
        ADD COLUMN flight_state text NOT NULL DEFAULT 'idle' CHECK (flight_state IN (
          'idle', 'flying-to-pickup', 'loading', 'flying-to-dropoff', 'unloading', 'returning',
          'charging')),
        ADD COLUMN flight_delivery_id uuid,
        ADD COLUMN state_since timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN positioned_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN telemetry_sequence bigint NOT NULL DEFAULT 0 CHECK (telemetry_sequence >= 0),
        ADD COLUMN telemetry_reported_at timestamptz,
        ADD COLUMN telemetry_due boolean NOT NULL DEFAULT false`);
    // Drones booked before this migration take off now, towards their pickups.
    await queryRunner.query(`
      UPDATE drones d
         SET flight_state = 'flying-to-pickup', flight_delivery_id = a.delivery_id,
             telemetry_due = true
        FROM assignments a
       WHERE a.drone_id = d.id AND a.status = 'active'`);
    // The one-active-per-drone index already lets a completed delivery's drone be booked again.
    await queryRunner.query(`
      ALTER TABLE assignments
        DROP CONSTRAINT assignments_status_check,
        ADD CONSTRAINT assignments_status_check
          CHECK (status IN ('active', 'released', 'completed')),
        ADD COLUMN completed_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE assignments SET status = 'released' WHERE status = 'completed'`,
    );
    await queryRunner.query(`
      ALTER TABLE assignments
        DROP COLUMN completed_at,
        DROP CONSTRAINT assignments_status_check,
        ADD CONSTRAINT assignments_status_check CHECK (status IN ('active', 'released'))`);
    await queryRunner.query(`
      ALTER TABLE drones
        DROP COLUMN flight_state,
        DROP COLUMN flight_delivery_id,
        DROP COLUMN state_since,
        DROP COLUMN positioned_at,
        DROP COLUMN telemetry_sequence,
        DROP COLUMN telemetry_reported_at,
        DROP COLUMN telemetry_due`);
  }
}
