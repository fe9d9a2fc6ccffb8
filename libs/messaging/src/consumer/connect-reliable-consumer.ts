import { type INestApplication, type INestMicroservice } from '@nestjs/common';
import { type NestMicroservice } from '@nestjs/microservices';
import { kafkaTransportOptions, type KafkaTransportSettings } from '../kafka-transport.options';
import {
  type ConsumerReliability,
  ReliableKafkaServer,
  RethrowRpcExceptionFilter,
} from './reliable-kafka.server';

/**
 * Adds a Kafka consumer to a service's HTTP app (a hybrid app): the app's `@EventPattern`
 * handlers receive messages through the ReliableKafkaServer. `startService` starts it after
 * migrations (or call `app.startAllMicroservices()`).
 */
export function connectReliableKafkaConsumer(
  app: INestApplication,
  settings: KafkaTransportSettings & {
    groupId: string;
    /**
     * For a service with several consumers: Nest binds every `@EventPattern` of the app to every
     * consumer unless the pattern names a transport id (`@EventPattern(topic, transportId)`).
     * Given, only the handlers naming it are bound here, and only their topics subscribed.
     */
    transportId?: symbol;
  },
  reliability: Partial<ConsumerReliability> = {},
): INestMicroservice {
  const { options } = kafkaTransportOptions(settings);
  const strategy = new ReliableKafkaServer(options ?? {}, reliability);
  if (settings.transportId) strategy.setTransportId(settings.transportId);
  const microservice = app.connectMicroservice(
    { strategy },
    // Deferred: Nest otherwise binds the handlers at once, and a global filter added afterwards
    // is ignored ("registration must occur before initialization").
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowRpcExceptionFilter());
  // The HTTP app runs the shared container's lifecycle hooks; the consumer must not run them again.
  (microservice as unknown as NestMicroservice).setIsInitHookCalled(true);
  return microservice;
}
