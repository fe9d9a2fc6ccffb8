import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DELIVERY_SERVICE } from '@drone-delivery/contracts';
import { createIdempotentProducer, OutboxRelay, type Producer } from '@drone-delivery/messaging';
import { type DeliveryConfig } from '../config/delivery.config';
import { DELIVERY_CONFIG } from '../config/delivery.config.token';

/**
 * Publishes the outbox to Kafka for as long as the service runs (OutboxRelay: at least once, in
 * order per delivery, several replicas at once). Stopped in onApplicationShutdown, which Nest
 * calls after HTTP and the telemetry consumer have stopped taking work and before the database
 * closes: what the last requests wrote is flushed before the process exits.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly producer: Producer;
  private readonly relay: OutboxRelay;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(DELIVERY_CONFIG) config: DeliveryConfig,
  ) {
    this.producer = createIdempotentProducer({
      clientId: `${DELIVERY_SERVICE}-outbox`,
      brokers: config.KAFKA_BROKERS,
    });
    this.relay = new OutboxRelay({
      dataSource,
      producer: this.producer,
      idleDelayMs: config.OUTBOX_POLL_MS,
      log: (level, message) => this.logger[level](message),
    });
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
