import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { addInboxRetentionSql, addOutboxLeaseAndRetentionSql } from '@drone-delivery/messaging';

const OUTBOXES = ['outbox', 'notification_outbox'];

/**
 * The relays lease the rows they send (no transaction open across Kafka sends), and published
 * outbox rows and old inbox entries are pruned by age: their columns and indexes.
 */
export class LeaseAndPruneOutboxes1732495000000 implements MigrationInterface {
  name = 'LeaseAndPruneOutboxes1732495000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of OUTBOXES) {
      for (const sql of addOutboxLeaseAndRetentionSql(table)) await queryRunner.query(sql);
    }
    for (const sql of addInboxRetentionSql()) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX inbox_handled_at');
    for (const table of OUTBOXES) {
      await queryRunner.query(`DROP INDEX ${table}_published`);
      await queryRunner.query(`DROP INDEX ${table}_unpublished_by_key`);
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN locked_until`);
    }
  }
}
