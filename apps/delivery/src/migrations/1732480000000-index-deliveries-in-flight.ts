import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class IndexDeliveriesInFlight1732480000000 implements MigrationInterface {
  name = 'IndexDeliveriesInFlight1732480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The quota counts an account's deliveries in flight on every new delivery: this keeps that
    // count to the account's open deliveries, however many finished ones it has.
    await queryRunner.query(`
      CREATE INDEX deliveries_account_in_flight ON deliveries (account_id)
        WHERE stage IN ('Created', 'Rescheduled', 'InTransit')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX deliveries_account_in_flight');
  }
}
