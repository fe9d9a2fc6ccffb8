import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { createIdempotentProducer, kafkaTls, type Producer } from '@drone-delivery/messaging';
import { API_GATEWAY_SERVICE } from '../api-gateway.service';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { FleetSnapshotConsumer } from './fleet-snapshot.consumer';
import { FleetSnapshotGatherer } from './fleet-snapshot.gatherer';

/** Connects once, on the first snapshot, and is shared by every request after. */
class LazyProducer implements OnApplicationShutdown {
  private producer?: Promise<Producer>;
  constructor(private readonly config: ApiGatewayConfig) {}

  get = (): Promise<Producer> => {
    this.producer ??= (async () => {
      const producer = createIdempotentProducer({
        clientId: `${API_GATEWAY_SERVICE}-fleet`,
        brokers: this.config.KAFKA_BROKERS,
        tls: kafkaTls(this.config),
      });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.producer = undefined;
      throw error;
    });
    return this.producer;
  };

  async onApplicationShutdown(): Promise<void> {
    const producer = await this.producer?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }
}

/** `GET /api/v1/fleet`: publish/async responses with every drone-management instance. */
@Module({
  controllers: [FleetSnapshotConsumer],
  providers: [
    {
      provide: LazyProducer,
      inject: [API_GATEWAY_CONFIG],
      useFactory: (config: ApiGatewayConfig) => new LazyProducer(config),
    },
    {
      provide: FleetSnapshotGatherer,
      inject: [API_GATEWAY_CONFIG, LazyProducer],
      useFactory: (config: ApiGatewayConfig, producer: LazyProducer) =>
        new FleetSnapshotGatherer(producer.get, {
          source: `/${API_GATEWAY_SERVICE}`,
          waitMs: config.FLEET_SNAPSHOT_WAIT_MS,
        }),
    },
  ],
  exports: [FleetSnapshotGatherer],
})
export class FleetModule {}
