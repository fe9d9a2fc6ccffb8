import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createOutboxTableSql } from '@drone-delivery/messaging';

export class CreateDeliveries1732450000000 implements MigrationInterface {
  name = 'CreateDeliveries1732450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // last_sequence is the sequence of the newest event of the delivery: the next event takes
    // last_sequence + 1 under the row lock, so sequences per delivery have no gaps or repeats.
    await queryRunner.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        package_id uuid NOT NULL,
        drone_id uuid NOT NULL,
        pickup_lat double precision NOT NULL CHECK (pickup_lat BETWEEN -90 AND 90),
        pickup_lng double precision NOT NULL CHECK (pickup_lng BETWEEN -180 AND 180),
        dropoff_lat double precision NOT NULL CHECK (dropoff_lat BETWEEN -90 AND 90),
        dropoff_lng double precision NOT NULL CHECK (dropoff_lng BETWEEN -180 AND 180),
        pickup_time timestamptz,
        deadline timestamptz,
        expedited boolean NOT NULL,
        confirmation_required text NOT NULL
          CHECK (confirmation_required IN ('none', 'fingerprint', 'picture', 'voice')),
        pickup_eta timestamptz NOT NULL,
        dropoff_eta timestamptz NOT NULL,
        stage text NOT NULL
          CHECK (stage IN ('Created', 'Rescheduled', 'InTransit', 'Completed', 'Cancelled')),
        last_known_lat double precision CHECK (last_known_lat BETWEEN -90 AND 90),
        last_known_lng double precision CHECK (last_known_lng BETWEEN -180 AND 180),
        last_sequence integer NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((last_known_lat IS NULL) = (last_known_lng IS NULL))
      )`);
    // The shared outbox shape (what OutboxRelay publishes), plus what says which delivery event
    // a row is: operators and tests find a delivery's events without opening the payload.
    for (const sql of createOutboxTableSql('outbox')) await queryRunner.query(sql);
    await queryRunner.query(`
      ALTER TABLE outbox
        ADD COLUMN delivery_id uuid NOT NULL REFERENCES deliveries (id),
        ADD COLUMN sequence integer NOT NULL CHECK (sequence >= 1),
        ADD COLUMN type text NOT NULL,
        ADD CONSTRAINT outbox_delivery_sequence_unique UNIQUE (delivery_id, sequence)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox');
    await queryRunner.query('DROP TABLE deliveries');
  }
}
