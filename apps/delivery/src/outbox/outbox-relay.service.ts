import {
  type FactoryProvider,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';
import {
  createIdempotentProducer,
  kafkaTls,
  OutboxRelay,
  type Producer,
} from '@drone-delivery/messaging';
import { type DeliveryConfig } from '../config/delivery.config';
import { DELIVERY_CONFIG } from '../config/delivery.config.token';
import { OutboxCommitSubscriber, type OutboxEntity } from './outbox-commit.subscriber';

/** Which outbox a relay publishes. The service has two: delivery events, notification commands. */
export interface OutboxRelaySettings {
  /** The entity of the outbox table (the shared outbox shape, createOutboxTableSql). */
  outbox: OutboxEntity;
  /** Names the relay's producer in broker logs. */
  clientId: string;
}

/**
 * Publishes one outbox table to Kafka for as long as the service runs (OutboxRelay: at least
 * once, in order per key, several replicas at once); a commit that wrote rows into it wakes it
 * at once (OutboxCommitSubscriber). Stopped in onApplicationShutdown, which Nest calls after
 * HTTP and the consumers have stopped taking work and before the database closes: what the last
 * requests and messages wrote is flushed before the process exits.
 */
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly producer: Producer;
  private readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, config: DeliveryConfig, settings: OutboxRelaySettings) {
    const table = dataSource.getMetadata(settings.outbox).tableName;
    this.logger = new Logger(`${OutboxRelayService.name}(${table})`);
    this.producer = createIdempotentProducer({
      clientId: settings.clientId,
      brokers: config.KAFKA_BROKERS,
      tls: kafkaTls(config),
    });
    this.relay = new OutboxRelay({
      dataSource,
      producer: this.producer,
      table,
      idleDelayMs: config.OUTBOX_POLL_MS,
      retentionMs: config.OUTBOX_RETENTION_HOURS * 3_600_000,
      log: (level, message) => this.logger[level](message),
    });
    dataSource.subscribers.push(new OutboxCommitSubscriber(settings.outbox, table, this));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
    this.relay.start();
  }

  /** Wakes an idle relay: the caller just committed outbox rows. */
  notify(): void {
    this.relay.notify();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.producer.disconnect();
  }
}

/**
 * The relay of one outbox as a provider of the module that writes it. Nothing injects it: Nest
 * runs its lifecycle hooks, which start and stop it with the app.
 */
export function outboxRelayProvider(
  token: symbol,
  settings: OutboxRelaySettings,
): FactoryProvider<OutboxRelayService> {
  return {
    provide: token,
    inject: [getDataSourceToken(), DELIVERY_CONFIG],
    useFactory: (dataSource: DataSource, config: DeliveryConfig) =>
      new OutboxRelayService(dataSource, config, settings),
  };
}
