import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { addInboxRetentionSql } from '@drone-delivery/messaging';

/** Old inbox entries are pruned by age (INBOX_RETENTION_HOURS): the index that finds them. */
export class IndexInboxByAge1732515000000 implements MigrationInterface {
  name = 'IndexInboxByAge1732515000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of addInboxRetentionSql('inbox')) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX inbox_handled_at');
  }
}
