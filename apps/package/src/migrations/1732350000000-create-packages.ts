import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreatePackages1732350000000 implements MigrationInterface {
  name = 'CreatePackages1732350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // weight_kg is an unconstrained numeric so a weight reads back exactly as it was written:
    // an idempotent retry compares equal instead of turning into a 409 after rounding.
    await queryRunner.query(`
      CREATE TABLE packages (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        size text NOT NULL CHECK (size IN ('small', 'medium', 'large')),
        weight_kg numeric NOT NULL CHECK (weight_kg > 0),
        tag text CHECK (char_length(tag) <= 64),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE packages');
  }
}
