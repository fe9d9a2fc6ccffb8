import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Idempotency keys belong to an account: two accounts sending the same key get two deliveries,
 * and neither can see the other's answer. The saga row names its account in a column of its
 * own, for the unique key and for ownership checks.
 */
export class ScopeIdempotencyKeysPerAccount1732800000000 implements MigrationInterface {
  name = 'ScopeIdempotencyKeysPerAccount1732800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE saga_log ADD COLUMN account_id uuid');
    await queryRunner.query(`UPDATE saga_log SET account_id = (request ->> 'accountId')::uuid`);
    await queryRunner.query('ALTER TABLE saga_log ALTER COLUMN account_id SET NOT NULL');
    await queryRunner.query('ALTER TABLE saga_log DROP CONSTRAINT saga_log_idempotency_key_key');
    // Rows without a key (null) never clash: Postgres treats nulls as distinct.
    await queryRunner.query(`
      ALTER TABLE saga_log
        ADD CONSTRAINT saga_log_account_idempotency_key UNIQUE (account_id, idempotency_key)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Going back fails if two accounts now share a key, rather than lose one's saga.
    await queryRunner.query(
      'ALTER TABLE saga_log DROP CONSTRAINT saga_log_account_idempotency_key',
    );
    await queryRunner.query(
      'ALTER TABLE saga_log ADD CONSTRAINT saga_log_idempotency_key_key UNIQUE (idempotency_key)',
    );
    await queryRunner.query('ALTER TABLE saga_log DROP COLUMN account_id');
  }
}
