import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';

export type { Producer };

export interface ProducerSettings {
  clientId: string;
  brokers: string[];
}

/**
 * A kafkajs producer with the settings every producer here needs: idempotent (a retried send is
 * written once) and one request in flight (a retry cannot overtake a later message for the same
 * key). Sends must still be awaited with `acks: -1`.
 */
export function createIdempotentProducer(settings: ProducerSettings): Producer {
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
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
