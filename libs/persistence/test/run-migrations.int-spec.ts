import {
  Column,
  DataSource,
  Entity,
  MigrationInterface,
  PrimaryColumn,
  QueryRunner,
} from 'typeorm';
import { createTestDatabase, TestDatabase } from '@drone-delivery/testing';
import { postgresOptions, runMigrations } from '../src';

let applied = 0;

class CreateCounters1732230000000 implements MigrationInterface {
  name = 'CreateCounters1732230000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    applied += 1;
    // Slow enough that a second replica arrives while the first is still migrating.
    await queryRunner.query('SELECT pg_sleep(0.3)');
    await queryRunner.query(
      'CREATE TABLE counters (name text PRIMARY KEY, value integer NOT NULL)',
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE counters');
  }
}

class SeedCounters1732230000001 implements MigrationInterface {
  name = 'SeedCounters1732230000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    applied += 1;
    // Fails with a unique violation if it ever runs twice.
    await queryRunner.query(`INSERT INTO counters (name, value) VALUES ('deliveries', 0)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM counters WHERE name = 'deliveries'`);
  }
}

describe('runMigrations', () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];

  function replica(): DataSource {
    const dataSource = new DataSource(
      postgresOptions({
        url: database.url,
        applicationName: 'migration-test',
        entities: [],
        migrations: [CreateCounters1732230000000, SeedCounters1732230000001],
        // Shorter than the slow migration and the wait for another replica's lock: migrations
        // must not be bound by the service's statement timeout.
        statementTimeoutMs: 100,
      }),
    );
    dataSources.push(dataSource);
    return dataSource;
  }

  beforeAll(async () => {
    database = await createTestDatabase('migrations');
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await database.drop();
  });

  it('applies each migration once when three replicas start at the same moment', async () => {
    const replicas = await Promise.all(
      [replica(), replica(), replica()].map((ds) => ds.initialize()),
    );

    const results = await Promise.all(replicas.map((dataSource) => runMigrations(dataSource)));

    expect(results.map((migrations) => migrations.length).sort()).toEqual([0, 0, 2]);
    expect(applied).toBe(2);
    const rows = await replicas[0].query('SELECT name FROM migrations ORDER BY id');
    expect(rows).toEqual([
      { name: 'CreateCounters1732230000000' },
      { name: 'SeedCounters1732230000001' },
    ]);
    expect(await replicas[0].query('SELECT name, value FROM counters')).toEqual([
      { name: 'deliveries', value: 0 },
    ]);
  });

  it("cancels the service's statements that outlive the statement timeout", async () => {
    const [dataSource] = await Promise.all([replica().initialize()]);
    await expect(dataSource.query('SELECT pg_sleep(1)')).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '57014' }),
    });
    expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('ends a session left idle inside a transaction, releasing its locks', async () => {
    const dataSource = new DataSource(
      postgresOptions({
        url: database.url,
        applicationName: 'idle-in-transaction-test',
        entities: [],
        migrations: [],
        idleInTransactionTimeoutMs: 200,
      }),
    );
    dataSources.push(dataSource);
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT pg_advisory_xact_lock(77)`);
    // Another session gets the lock once Postgres has ended the idle transaction.
    const other = replica();
    await other.initialize();
    const waiter = other.createQueryRunner();
    await waiter.connect();
    await waiter.query(`SET statement_timeout = 0`);
    await expect(
      waiter.query('SELECT true AS got FROM (SELECT pg_advisory_xact_lock(77)) AS locked'),
    ).resolves.toEqual([{ got: true }]);
    await waiter.release();
    await expect(runner.query('SELECT 1')).rejects.toThrow();
    await runner.release().catch(() => undefined);
  });

  it('never creates tables from entities (synchronize is off)', async () => {
    @Entity('widgets')
    class Widget {
      @PrimaryColumn() id!: string;
      @Column() label!: string;
    }
    const dataSource = new DataSource(
      postgresOptions({
        url: database.url,
        applicationName: 'x',
        entities: [Widget],
        migrations: [],
      }),
    );
    dataSources.push(dataSource);
    await dataSource.initialize();

    expect(await dataSource.query(`SELECT to_regclass('widgets') AS "table"`)).toEqual([
      { table: null },
    ]);
  });
});
