import { type BeforeApplicationShutdown, Inject, Injectable, Module } from '@nestjs/common';
import { type Server } from 'node:http';
import { AccessTokenVerifier } from '@drone-delivery/http';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { HttpDeliveryAccess } from './delivery-access';
import { StreamConsumer } from './stream.consumer';
import { StreamHub } from './stream-hub';
import { attachStream } from './stream.server';

/** How long the stream waits on delivery or delivery-history for a subscription's lookups. */
const LOOKUP_TIMEOUT_MS = 5_000;

/** The live stream's WebSocket endpoint on the gateway's HTTP server; closed before shutdown. */
@Injectable()
export class StreamServer implements BeforeApplicationShutdown {
  private attached?: { close(): Promise<void> };

  constructor(
    @Inject(API_GATEWAY_CONFIG) private readonly config: ApiGatewayConfig,
    private readonly verifier: AccessTokenVerifier,
    private readonly hub: StreamHub,
  ) {}

  attach(server: Server): void {
    const config = this.config;
    this.attached = attachStream(server, {
      verifier: this.verifier,
      hub: this.hub,
      access: new HttpDeliveryAccess(
        config.DELIVERY_URL,
        config.DELIVERY_HISTORY_URL,
        LOOKUP_TIMEOUT_MS,
      ),
      maxConnections: config.STREAM_MAX_CONNECTIONS,
      pingIntervalMs: config.STREAM_PING_INTERVAL_MS,
      limits: {
        maxSubscriptions: config.STREAM_MAX_SUBSCRIPTIONS,
        positionHighWaterBytes: config.STREAM_POSITION_HIGH_WATER_BYTES,
        maxBufferedBytes: config.STREAM_MAX_BUFFERED_BYTES,
        maxHeldEvents: 1_000,
        catchUpRetryMs: 500,
      },
    });
  }

  /** Clients are told to reconnect (to another replica) and resume before the app goes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.attached?.close();
  }
}

/** `/api/v1/stream`: delivery events at least once with resume, positions latest only. */
@Module({
  controllers: [StreamConsumer],
  providers: [{ provide: StreamHub, useValue: new StreamHub() }, StreamServer],
  exports: [StreamServer],
})
export class StreamModule {}
