import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Ids of deleted packages, and of packages deleted before they were created. A saga's
 * compensation can overtake the PUT it undoes (the PUT timed out at the caller but still waits at
 * this service); the tombstone makes that late PUT a 410 instead of a package nobody deletes.
 */
export class CreatePackageTombstones1732370000000 implements MigrationInterface {
  name = 'CreatePackageTombstones1732370000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE package_tombstones (
        package_id uuid PRIMARY KEY,
        buried_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE package_tombstones');
  }
}
