import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { type KafkaTlsOption } from './kafka-tls';

export type { Producer };

export interface ProducerSettings extends KafkaTlsOption {
  clientId: string;
  brokers: string[];
}

/**
 * A kafkajs producer with the settings every producer here needs: idempotent (a retried send is
 * written once) and one request in flight (a retry cannot overtake a later message for the same
 * key). Sends must still be awaited with `acks: -1`.
 *
 * `acks: -1` (all) waits for every in-sync replica, and is only as durable as the topic: with a
 * replication factor of 1 (the demo's single broker) an acknowledged message lives on one disk.
 * Production needs replication factor ≥ 3 and min.insync.replicas = 2 (KAFKA_REPLICATION_FACTOR,
 * KAFKA_MIN_INSYNC_REPLICAS, applied by ensureTopics), so that an acknowledged message survives
 * the loss of a broker and a lone replica cannot accept writes.
 */
export function createIdempotentProducer(settings: ProducerSettings): Producer {
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.tls,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 5 },
  });
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Murmur2 keyed partitioning, as the Java client and Nest's transport use.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
