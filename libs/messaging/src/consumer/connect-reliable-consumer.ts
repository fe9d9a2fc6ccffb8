import { type INestApplication, type INestMicroservice } from '@nestjs/common';
import { kafkaTransportOptions, type KafkaTransportSettings } from '../kafka-transport.options';
import {
  type ConsumerReliability,
  ReliableKafkaServer,
  RethrowRpcExceptionFilter,
} from './reliable-kafka.server';

/**
 * Adds a Kafka consumer to a service's HTTP app (a hybrid app): the app's `@EventPattern`
 * handlers receive messages through the ReliableKafkaServer. Call `app.startAllMicroservices()`
 * after migrations.
 */
export function connectReliableKafkaConsumer(
  app: INestApplication,
  settings: KafkaTransportSettings & { groupId: string },
  reliability: Partial<ConsumerReliability> = {},
): INestMicroservice {
  const { options } = kafkaTransportOptions(settings);
  const microservice = app.connectMicroservice(
    { strategy: new ReliableKafkaServer(options ?? {}, reliability) },
    { inheritAppConfig: false },
  );
  microservice.useGlobalFilters(new RethrowRpcExceptionFilter());
  return microservice;
}
