import { type DynamicModule, type Type } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { runMigrations } from '@drone-delivery/persistence';
import { createServiceApp, type ServiceAppOptions } from './create-service-app';

export interface StartServiceOptions extends ServiceAppOptions {
  port: number;
  /** 0.0.0.0 in containers; 127.0.0.1 in tests. */
  host?: string;
  /**
   * Runs after migrations and before the app takes traffic: create Kafka topics, connect
   * consumers (`connectReliableKafkaConsumer`). Connected consumers are started before `listen`.
   */
  beforeListen?: (app: NestExpressApplication) => Promise<void> | void;
}

/**
 * Starts a service the one way every main.ts does: build the app with the service defaults,
 * apply pending migrations (under an advisory lock, so replicas may start together), then take
 * traffic. Providers (and the DataSource) exist once the app is created, but lifecycle hooks
 * (`onModuleInit`, `onApplicationBootstrap`) run inside `listen`, so seeding and recovery sweeps
 * placed there always see the migrated schema.
 */
export async function startService(
  module: Type | DynamicModule,
  options: StartServiceOptions,
): Promise<NestExpressApplication> {
  const app = await createServiceApp(module, options);
  await runMigrations(app.get(DataSource));
  await options.beforeListen?.(app);
  if (app.getMicroservices().length > 0) await app.startAllMicroservices();
  await app.listen(options.port, options.host ?? '0.0.0.0');
  return app;
}
