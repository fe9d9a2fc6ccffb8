import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createInboxTableSql, createOutboxTableSql } from '@drone-delivery/messaging';

const CHANNELS = "('email', 'sms', 'webhook')";

export class CreateNotifications1732470000000 implements MigrationInterface {
  name = 'CreateNotifications1732470000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The foreign key makes "the delivery exists" part of the insert: no check-then-write race.
    await queryRunner.query(`
      CREATE TABLE notification_subscriptions (
        id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES deliveries (id),
        email text,
        sms text CHECK (sms ~ '^\\+[0-9]{8,15}$'),
        webhook_url text CHECK (webhook_url ~ '^https?://'),
        webhook_secret text,
        last_sequence integer NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (email IS NOT NULL OR sms IS NOT NULL OR webhook_url IS NOT NULL),
        CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL))
      )`);
    await queryRunner.query(
      'CREATE INDEX notification_subscriptions_delivery ON notification_subscriptions (delivery_id)',
    );

    // The matcher's inbox: the delivery events it has turned into commands.
    for (const sql of createInboxTableSql()) await queryRunner.query(sql);

    // Commands get their own outbox: the delivery events' outbox has delivery columns.
    for (const sql of createOutboxTableSql('notification_outbox')) await queryRunner.query(sql);
    await queryRunner.query(`
      ALTER TABLE notification_outbox
        ADD COLUMN subscription_id uuid NOT NULL REFERENCES notification_subscriptions (id),
        ADD COLUMN event_id text NOT NULL,
        ADD COLUMN channel text NOT NULL CHECK (channel IN ${CHANNELS}),
        ADD COLUMN sequence integer NOT NULL CHECK (sequence >= 1),
        ADD CONSTRAINT notification_outbox_notification_unique
          UNIQUE (subscription_id, event_id, channel),
        ADD CONSTRAINT notification_outbox_subscription_sequence_unique
          UNIQUE (subscription_id, sequence)`);

    // The notifier's record of each notification: what it skips, and what an operator reads.
    await queryRunner.query(`
      CREATE TABLE notification_deliveries (
        subscription_id uuid NOT NULL REFERENCES notification_subscriptions (id),
        event_id text NOT NULL,
        channel text NOT NULL CHECK (channel IN ${CHANNELS}),
        status text NOT NULL CHECK (status IN ('sent', 'failed')),
        attempts integer NOT NULL CHECK (attempts >= 0),
        last_error text,
        sent_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subscription_id, event_id, channel),
        CHECK ((status = 'sent') = (sent_at IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notification_deliveries');
    await queryRunner.query('DROP TABLE notification_outbox');
    await queryRunner.query('DROP TABLE inbox');
    await queryRunner.query('DROP TABLE notification_subscriptions');
  }
}
