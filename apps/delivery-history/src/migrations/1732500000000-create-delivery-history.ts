import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createInboxTableSql } from '@drone-delivery/messaging';

export class CreateDeliveryHistory1732500000000 implements MigrationInterface {
  name = 'CreateDeliveryHistory1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per event, in whatever order events arrive; readers order by sequence. A second
    // event claiming a delivery's sequence number is a producer bug, refused by the constraint.
    await queryRunner.query(`
      CREATE TABLE timeline_events (
        event_id text PRIMARY KEY,
        delivery_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('DeliveryCreated', 'DeliveryRescheduled',
          'DeliveryInTransit', 'DeliveryCompleted', 'DeliveryCancelled')),
        sequence integer NOT NULL CHECK (sequence >= 1),
        occurred_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT timeline_events_delivery_sequence_unique UNIQUE (delivery_id, sequence)
      )`);
    // One row per delivery for search. account_id and created_at come from DeliveryCreated,
    // which may arrive after later events: until then they are null and search does not see
    // the delivery. stage is that of the event with the highest sequence seen (latest_sequence).
    await queryRunner.query(`
      CREATE TABLE delivery_summaries (
        delivery_id uuid PRIMARY KEY,
        account_id uuid,
        stage text NOT NULL
          CHECK (stage IN ('Created', 'Rescheduled', 'InTransit', 'Completed', 'Cancelled')),
        latest_sequence integer NOT NULL CHECK (latest_sequence >= 1),
        created_at timestamptz,
        updated_at timestamptz NOT NULL,
        CHECK ((account_id IS NULL) = (created_at IS NULL))
      )`);
    // Search: one account's deliveries, newest first, paged by (created_at, delivery_id).
    await queryRunner.query(`
      CREATE INDEX delivery_summaries_account_created
        ON delivery_summaries (account_id, created_at DESC, delivery_id DESC)
        WHERE account_id IS NOT NULL`);
    for (const sql of createInboxTableSql('inbox')) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE inbox');
    await queryRunner.query('DROP TABLE delivery_summaries');
    await queryRunner.query('DROP TABLE timeline_events');
  }
}
