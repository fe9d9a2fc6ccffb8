import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { TOPICS } from '@drone-delivery/contracts';
import {
  connectReliableKafkaConsumer,
  ensureTopicsWithDeadLetters,
  kafkaTls,
} from '@drone-delivery/messaging';
import { runMigrations } from '@drone-delivery/persistence';
import {
  applyServiceDefaults,
  serviceLogger,
  type StartServiceOptions,
} from '@drone-delivery/service-defaults';
import { API_GATEWAY_SERVICE } from './api-gateway.service';
import { type AppModule } from './app.module';
import { FLEET_SNAPSHOT_REPLIES_CONSUMER } from './fleet/fleet.constants';
import { STREAM_CONSUMERS } from './stream/stream.constants';
import { StreamServer } from './stream/stream.module';
import { type ApiGatewayConfig } from './config/api-gateway.config';
import { DashboardSite } from './dashboard/dashboard-site';
import { PublicDocs } from './docs/public-docs';
import { EdgeRoutes } from './edge/edge.routes';
import { mergePublicDocuments } from './docs/openapi-merge';

/**
 * `startService` with two differences a gateway needs: request bodies are never parsed (they
 * stream to the services), and /docs serves the merged public API instead of the gateway's own
 * (empty) one. Order matters, as Express tries handlers in the order they were added: the docs
 * go before the service defaults (whose /docs they replace), the edge routes after them (so
 * metrics and correlation ids cover every forwarded call), the dashboard's files last of the
 * gateway's own (they must never shadow a route), and all before Nest's own routes.
 */
export async function startGateway(
  module: ReturnType<typeof AppModule.register>,
  config: ApiGatewayConfig,
  options: StartServiceOptions,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: serviceLogger(options),
    bodyParser: false,
    // The stream's upgrades arrive on the same server, so HTTPS brings WSS with it.
    httpsOptions: config.GATEWAY_TLS_CERT_FILE
      ? {
          cert: readFileSync(config.GATEWAY_TLS_CERT_FILE, 'utf8'),
          key: readFileSync(config.GATEWAY_TLS_KEY_FILE as string, 'utf8'),
        }
      : undefined,
  });
  // 0 hops: Express takes the socket's peer as the client and ignores X-Forwarded-*.
  app.set('trust proxy', config.TRUST_PROXY_HOPS > 0 ? config.TRUST_PROXY_HOPS : false);
  const edge = app.get(EdgeRoutes);
  const docs = app.get(PublicDocs);
  app.use(['/docs', '/docs-json', '/docs-yaml'], edge.limitClientAddress());
  SwaggerModule.setup('docs', app, mergePublicDocuments([]), {
    patchDocumentOnRequest: () => docs.document(),
  });
  applyServiceDefaults(app, options);
  edge.mount(app);
  app.get(DashboardSite).mount(app);
  app.get(StreamServer).attach(app.getHttpServer());
  await runMigrations(app.get(DataSource));
  await connectGatewayConsumers(app, config);
  await app.startAllMicroservices();
  await app.listen(options.port, options.host ?? '0.0.0.0');
  return app;
}

/**
 * The gateway's Kafka consumers, each in a group of this instance's own that starts at the log
 * end: every replica must see every event (its own clients follow them) and every snapshot
 * answer (the asking replica is the one that needs it), and none needs the past.
 */
async function connectGatewayConsumers(
  app: NestExpressApplication,
  config: ApiGatewayConfig,
): Promise<void> {
  await ensureTopicsWithDeadLetters(
    config.KAFKA_BROKERS,
    [
      TOPICS.deliveryEvents,
      TOPICS.droneTelemetry,
      TOPICS.fleetSnapshotRequests,
      TOPICS.fleetSnapshotReplies,
    ].map((topic) => ({ topic: topic.name, numPartitions: topic.partitions })),
    {
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
      tls: kafkaTls(config),
    },
  );
  const consumers: [symbol, string][] = [
    [STREAM_CONSUMERS.deliveryEvents, 'stream.delivery-events'],
    [STREAM_CONSUMERS.telemetry, 'stream.telemetry'],
    [FLEET_SNAPSHOT_REPLIES_CONSUMER, 'fleet-snapshot'],
  ];
  for (const [transportId, purpose] of consumers) {
    connectReliableKafkaConsumer(app, {
      clientId: API_GATEWAY_SERVICE,
      brokers: config.KAFKA_BROKERS,
      tls: kafkaTls(config),
      groupId: `${API_GATEWAY_SERVICE}.${purpose}.${config.INSTANCE_ID}`,
      transportId,
      startAt: 'latest',
    });
  }
}
