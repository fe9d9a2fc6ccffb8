import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class IndexSummariesByCreation1732510000000 implements MigrationInterface {
  name = 'IndexSummariesByCreation1732510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // An operator's search over every account: newest first, paged by (created_at, delivery_id),
    // as delivery_summaries_account_created serves it for one account.
    await queryRunner.query(`
      CREATE INDEX delivery_summaries_created
        ON delivery_summaries (created_at DESC, delivery_id DESC)
        WHERE account_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX delivery_summaries_created');
  }
}
