import { IsString, MinLength } from 'class-validator';
import {
  KafkaBrokerList,
  loadEnvironment,
  PublicApiConfig,
} from '@drone-delivery/service-defaults';

/** Names this service in Postgres sessions, Kafka client ids and logs. */
export const DELIVERY_HISTORY_SERVICE = 'delivery-history';

/** Every setting of the delivery-history service, from the environment, checked at start-up. */
export class DeliveryHistoryConfig extends PublicApiConfig {
  override PORT = 3006;

  /** `host:port[,host:port]`. */
  @KafkaBrokerList() KAFKA_BROKERS!: string[];

  /**
   * Consumer group of the delivery.events.v1 consumer. Replicas share it (they split the
   * partitions); tests give each run its own, so it reads the topic from the beginning.
   */
  @IsString() @MinLength(1) KAFKA_GROUP_ID = DELIVERY_HISTORY_SERVICE;
}

export function loadDeliveryHistoryConfig(
  env: NodeJS.ProcessEnv = process.env,
): DeliveryHistoryConfig {
  return loadEnvironment(DeliveryHistoryConfig, env);
}
