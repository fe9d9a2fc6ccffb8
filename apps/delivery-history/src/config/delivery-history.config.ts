import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsString, Matches, MinLength } from 'class-validator';
import { loadEnvironment, ServiceConfig } from '@drone-delivery/service-defaults';

/** Names this service in Postgres sessions, Kafka client ids and logs. */
export const DELIVERY_HISTORY_SERVICE = 'delivery-history';

/** Every setting of the delivery-history service, from the environment, checked at start-up. */
export class DeliveryHistoryConfig extends ServiceConfig {
  override PORT = 3006;

  /** `host:port[,host:port]`. */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((broker) => broker.trim())
          .filter((broker) => broker.length > 0)
      : value,
  )
  @IsArray()
  @ArrayNotEmpty()
  @Matches(/^[^:\s]+:\d{1,5}$/, { each: true, message: 'each broker must be host:port' })
  KAFKA_BROKERS!: string[];

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
