import { type KafkaOptions, Transport } from '@nestjs/microservices';
import { type KafkaTlsOption } from './kafka-tls';

export interface KafkaTransportSettings extends KafkaTlsOption {
  /** Names this service in broker logs and metrics; Nest appends `-client` / `-server`. */
  clientId: string;
  brokers: string[];
  /** Consumer group; only for a service that consumes. Nest appends `-server`. */
  groupId?: string;
  /**
   * Partitions handled at once by one consumer (default 4). Order holds within a partition,
   * hence per key; handlers of different partitions run concurrently.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * Where a new consumer group starts: at the first message (default), or at the log end, for a
   * group of one instance's own that only cares about what happens while it runs (the live
   * stream, fleet-snapshot requests and answers).
   */
  startAt?: 'earliest' | 'latest';
}

/**
 * The one way services configure `@nestjs/microservices`' Kafka transport, for both
 * `ClientsModule.register` (producing) and `connectMicroservice` (consuming).
 */
export function kafkaTransportOptions(settings: KafkaTransportSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      client: {
        clientId: settings.clientId,
        brokers: settings.brokers,
        ssl: settings.tls,
        retry: { initialRetryTime: 300, retries: 8 },
      },
      producer: {
        // kafkajs defaults to neither: without idempotence a retried send can be written twice,
        // and with several requests in flight a retry can overtake a later message for the same key.
        idempotent: true,
        maxInFlightRequests: 1,
        // Topics are created deliberately at start-up (ensureTopics), never by a stray send.
        allowAutoTopicCreation: false,
      },
      // The send must be durable before the caller moves on; see publishMessage. How durable
      // depends on the topic's replicas: see createIdempotentProducer.
      send: { acks: -1 },
      consumer: {
        groupId: settings.groupId ?? `${settings.clientId}-unused-group`,
        allowAutoTopicCreation: false,
      },
      // kafkajs starts a new consumer group at the log end, silently skipping every message
      // written before the group first joined; consumers here must see all of them.
      subscribe: { fromBeginning: settings.startAt !== 'latest' },
      // kafkajs handles one partition at a time by default: one slow database write holds up
      // every partition of the consumer.
      run: { partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently ?? 4 },
    },
  };
}
