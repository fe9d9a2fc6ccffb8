import { type ClientKafka } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';

export interface OutgoingMessage<T> {
  /** Messages with the same key go to the same partition, so they keep their order. */
  key: string;
  value: T;
  headers?: Record<string, string>;
}

/**
 * Sends one message and resolves once the broker acknowledged it. `ClientKafka.emit()` alone
 * returns a cold observable: unless someone subscribes and waits, a failed send is never seen.
 */
export async function publishMessage<T>(
  client: ClientKafka,
  topic: string,
  message: OutgoingMessage<T>,
): Promise<void> {
  await lastValueFrom(client.emit(topic, message), { defaultValue: undefined });
}
