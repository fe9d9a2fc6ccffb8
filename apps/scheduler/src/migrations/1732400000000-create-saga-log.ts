import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateSagaLog1732400000000 implements MigrationInterface {
  name = 'CreateSagaLog1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE saga_log (
        request_id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL UNIQUE,
        package_id uuid NOT NULL UNIQUE,
        idempotency_key text UNIQUE,
        request_hash text NOT NULL,
        request jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'compensating', 'succeeded', 'failed')),
        last_completed_step text
          CHECK (last_completed_step IN ('account', 'package', 'assignment', 'delivery')),
        uncertain_step text
          CHECK (uncertain_step IN ('account', 'package', 'assignment', 'delivery')),
        drone_id uuid,
        result jsonb,
        error jsonb,
        lease_owner uuid,
        lease_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The recovery sweep's query: unfinished sagas by lease expiry. Finished ones, the vast
    // majority, stay out of the index.
    await queryRunner.query(`
      CREATE INDEX saga_log_unfinished_by_lease ON saga_log (lease_until)
        WHERE state IN ('pending', 'compensating')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE saga_log');
  }
}
