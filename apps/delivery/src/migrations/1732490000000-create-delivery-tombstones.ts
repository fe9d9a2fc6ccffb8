import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Ids cancelled before any delivery was created under them. A saga's compensation can overtake
 * the PUT it undoes (the PUT timed out at the caller but still waits at this service); the
 * tombstone makes that late PUT a 410 instead of a delivery whose drone was released.
 */
export class CreateDeliveryTombstones1732490000000 implements MigrationInterface {
  name = 'CreateDeliveryTombstones1732490000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery_tombstones (
        delivery_id uuid PRIMARY KEY,
        buried_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE delivery_tombstones');
  }
}
