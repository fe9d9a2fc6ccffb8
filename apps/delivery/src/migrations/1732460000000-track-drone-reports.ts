import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class TrackDroneReports1732460000000 implements MigrationInterface {
  name = 'TrackDroneReports1732460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The newest telemetry report applied to the delivery: a report is applied only when it is
    // newer (time, then the drone's sequence), so a late or repeated one cannot move it back.
    // Its state stays too: a late "flying-to-dropoff" followed by a newer "returning" still
    // proves the delivery (see delivery-progress.ts).
    await queryRunner.query(`
      ALTER TABLE deliveries
        ADD COLUMN last_report_at timestamptz,
        ADD COLUMN last_report_sequence bigint CHECK (last_report_sequence >= 1),
        ADD COLUMN last_report_state text CHECK (last_report_state IN
          ('idle', 'flying-to-pickup', 'loading', 'flying-to-dropoff', 'unloading', 'returning', 'charging')),
        ADD CONSTRAINT deliveries_last_report_complete CHECK (
          (last_report_at IS NULL) = (last_report_sequence IS NULL)
          AND (last_report_at IS NULL) = (last_report_state IS NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE deliveries
        DROP CONSTRAINT deliveries_last_report_complete,
        DROP COLUMN last_report_state,
        DROP COLUMN last_report_sequence,
        DROP COLUMN last_report_at`);
  }
}
