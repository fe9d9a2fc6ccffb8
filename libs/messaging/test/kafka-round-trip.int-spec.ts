/**
 * One real round trip through the building blocks every service uses:
 * an HTTP app writes a row with TypeORM (schema from migrations) and publishes an event with
 * `@nestjs/microservices`' Kafka client; a separate Nest microservice on the Kafka transport
 * receives it in an `@EventPattern` handler and records it in its own database.
 */
import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  HttpCode,
  Inject,
  INestApplication,
  INestMicroservice,
  Module,
  Post,
} from '@nestjs/common';
import {
  ClientKafka,
  ClientsModule,
  Ctx,
  EventPattern,
  KafkaContext,
  Payload,
} from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import {
  Column,
  DataSource,
  Entity,
  MigrationInterface,
  PrimaryColumn,
  QueryRunner,
} from 'typeorm';
import { ConfigResourceTypes, ConfigSource, Kafka, logLevel } from 'kafkajs';
import {
  ensureTopics,
  ensureTopicsWithDeadLetters,
  kafkaTransportOptions,
  publishMessage,
} from '../src';
import { postgresOptions, runMigrations } from '@drone-delivery/persistence';
import {
  createTestDatabase,
  TestDatabase,
  testKafkaBrokers,
  uniqueGroupId,
  uniqueTopic,
  waitFor,
} from '@drone-delivery/testing';

// Decorators read the topic when the classes below are defined, so it is fixed per file.
const PARCEL_REGISTERED_TOPIC = uniqueTopic('parcel-registered');
const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
// Both apps run in this one process, where TypeORM data source names must be unique.
const PRODUCER_DB = 'producer';
const CONSUMER_DB = 'consumer';

interface ParcelRegistered {
  parcelId: string;
  label: string;
}

// ---- producing side: its own database, an HTTP endpoint, a Kafka client ----

@Entity('parcels')
class Parcel {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') label!: string;
}

class CreateParcels1732230100000 implements MigrationInterface {
  name = 'CreateParcels1732230100000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE parcels (id uuid PRIMARY KEY, label text NOT NULL)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE parcels');
  }
}

@Controller('parcels')
class ParcelController {
  constructor(
    @InjectDataSource(PRODUCER_DB) private readonly dataSource: DataSource,
    @Inject(KAFKA_CLIENT) private readonly kafka: ClientKafka,
  ) {}

  @Post()
  @HttpCode(201)
  async registerParcel(@Body() body: { label: string }): Promise<{ parcelId: string }> {
    const parcel = await this.dataSource
      .getRepository(Parcel)
      .save({ id: randomUUID(), label: body.label });
    const event: ParcelRegistered = { parcelId: parcel.id, label: parcel.label };
    await publishMessage(this.kafka, PARCEL_REGISTERED_TOPIC, { key: parcel.id, value: event });
    return { parcelId: parcel.id };
  }
}

// ---- consuming side: a Kafka microservice with its own database ----

@Entity('received_parcels')
class ReceivedParcel {
  @PrimaryColumn('uuid') parcelId!: string;
  @Column('text') label!: string;
  @Column('text') messageKey!: string;
  @Column('integer') partition!: number;
}

class CreateReceivedParcels1732230200000 implements MigrationInterface {
  name = 'CreateReceivedParcels1732230200000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE received_parcels (
         "parcelId" uuid PRIMARY KEY, label text NOT NULL, "messageKey" text NOT NULL, partition integer NOT NULL)`,
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE received_parcels');
  }
}

@Controller()
class ParcelRegisteredConsumer {
  constructor(@InjectDataSource(CONSUMER_DB) private readonly dataSource: DataSource) {}

  @EventPattern<string>(PARCEL_REGISTERED_TOPIC)
  async recordParcel(
    @Payload() event: ParcelRegistered,
    @Ctx() context: KafkaContext,
  ): Promise<void> {
    await this.dataSource.getRepository(ReceivedParcel).save({
      parcelId: event.parcelId,
      label: event.label,
      messageKey: String(context.getMessage().key),
      partition: context.getPartition(),
    });
  }
}

// ---- the test ----

describe('Kafka + Postgres round trip through Nest', () => {
  let producerDb: TestDatabase;
  let consumerDb: TestDatabase;
  let producerApp: INestApplication;
  let consumerApp: INestMicroservice;
  let baseUrl: string;

  beforeAll(async () => {
    const brokers = testKafkaBrokers();
    [producerDb, consumerDb] = await Promise.all([
      createTestDatabase('round_trip_producer'),
      createTestDatabase('round_trip_consumer'),
    ]);
    await ensureTopics(brokers, [{ topic: PARCEL_REGISTERED_TOPIC, numPartitions: 3 }]);

    @Module({
      imports: [
        TypeOrmModule.forRoot({
          name: PRODUCER_DB,
          ...postgresOptions({
            url: producerDb.url,
            applicationName: 'round-trip-producer',
            entities: [Parcel],
            migrations: [CreateParcels1732230100000],
          }),
        }),
        ClientsModule.register([
          {
            name: KAFKA_CLIENT,
            ...kafkaTransportOptions({ clientId: 'round-trip-producer', brokers }),
          },
        ]),
      ],
      controllers: [ParcelController],
    })
    class ProducerModule {}

    @Module({
      imports: [
        TypeOrmModule.forRoot({
          name: CONSUMER_DB,
          ...postgresOptions({
            url: consumerDb.url,
            applicationName: 'round-trip-consumer',
            entities: [ReceivedParcel],
            migrations: [CreateReceivedParcels1732230200000],
          }),
        }),
      ],
      controllers: [ParcelRegisteredConsumer],
    })
    class ConsumerModule {}

    const producerModule = await Test.createTestingModule({ imports: [ProducerModule] }).compile();
    producerApp = producerModule.createNestApplication();
    await runMigrations(producerApp.get<DataSource>(getDataSourceToken(PRODUCER_DB)));
    await producerApp.listen(0, '127.0.0.1');
    baseUrl = await producerApp.getUrl();

    const consumerModule = await Test.createTestingModule({ imports: [ConsumerModule] }).compile();
    consumerApp = consumerModule.createNestMicroservice(
      kafkaTransportOptions({
        clientId: 'round-trip-consumer',
        brokers,
        groupId: uniqueGroupId('round-trip'),
      }),
    );
    await runMigrations(consumerApp.get<DataSource>(getDataSourceToken(CONSUMER_DB)));
    await consumerApp.listen();
  });

  afterAll(async () => {
    await Promise.allSettled([producerApp?.close(), consumerApp?.close()]);
    await Promise.allSettled([producerDb?.drop(), consumerDb?.drop()]);
  });

  it('delivers a row written over HTTP to the consumer, keyed by its id', async () => {
    const labels = ['insulin', 'test kit', 'bandages'];
    const sent: string[] = [];
    for (const label of labels) {
      const response = await fetch(`${baseUrl}/parcels`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ label }),
      });
      expect(response.status).toBe(201);
      sent.push(((await response.json()) as { parcelId: string }).parcelId);
    }

    const consumerData = consumerApp.get<DataSource>(getDataSourceToken(CONSUMER_DB));
    const received = await waitFor(
      async () => {
        const rows = await consumerData.getRepository(ReceivedParcel).find();
        return rows.length === labels.length ? rows : undefined;
      },
      { timeoutMs: 30_000, description: `${labels.length} parcels on the consumer side` },
    );

    expect(received.map((row) => row.parcelId).sort()).toEqual([...sent].sort());
    for (const row of received) {
      expect(row.messageKey).toBe(row.parcelId);
      expect(row.label).toBe(labels[sent.indexOf(row.parcelId)]);
      expect(row.partition).toBeGreaterThanOrEqual(0);
    }
    // The producer's rows exist, and its schema came from the migration, not from synchronize.
    const producerData = producerApp.get<DataSource>(getDataSourceToken(PRODUCER_DB));
    expect(await producerData.getRepository(Parcel).count()).toBe(labels.length);
    expect(await producerData.query('SELECT name FROM migrations')).toEqual([
      { name: 'CreateParcels1732230100000' },
    ]);
  });
});

describe('ensureTopics', () => {
  it('lets services that start together create the same topics', async () => {
    const topics = [1, 2, 3].map((n) => ({ topic: uniqueTopic(`shared-${n}`), numPartitions: 2 }));
    const brokers = testKafkaBrokers();
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureTopics(brokers, topics)));
    expect(results).toHaveLength(4);
    expect(await ensureTopics(brokers, topics)).toEqual([]);
  });

  it('creates topics with the configured replication factor and min.insync.replicas', async () => {
    const topic = uniqueTopic('durable');
    const brokers = testKafkaBrokers();
    await ensureTopicsWithDeadLetters(brokers, [{ topic, numPartitions: 2 }], {
      // The one broker of the harness allows no more.
      replicationFactor: 1,
      minInsyncReplicas: 1,
    });
    const admin = new Kafka({
      clientId: 'durability-test',
      brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const names = [topic, `${topic}.dlq`];
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      expect(topics.flatMap((t) => t.partitions.map((p) => p.replicas.length))).toEqual([
        1, 1, 1, 1,
      ]);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: names.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['min.insync.replicas'],
        })),
      });
      for (const resource of resources) {
        // Set on the topic itself, not inherited from the broker's default.
        expect(resource.configEntries).toEqual([
          expect.objectContaining({
            configName: 'min.insync.replicas',
            configValue: '1',
            configSource: ConfigSource.TOPIC_CONFIG,
          }),
        ]);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses a min.insync.replicas that no send could satisfy', async () => {
    await expect(
      ensureTopics(
        testKafkaBrokers(),
        [{ topic: uniqueTopic('unsatisfiable'), numPartitions: 1 }],
        {
          replicationFactor: 1,
          minInsyncReplicas: 2,
        },
      ),
    ).rejects.toThrow('min.insync.replicas (2) exceeds the replication factor (1)');
  });
});
