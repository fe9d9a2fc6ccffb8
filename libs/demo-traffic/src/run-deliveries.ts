import { randomUUID } from 'node:crypto';
import { type ScheduleDeliveryRequest } from './delivery-requests';
import { type DeliveryOutcome, type DeliveryRunEvent, runDelivery } from './delivery-run';
import { type PublicApiClient } from './public-api.client';

export interface RunDeliveriesOptions {
  client: PublicApiClient;
  count: number;
  /** Deliveries in flight at once (being scheduled or followed). */
  concurrency: number;
  /** Epoch ms: whatever is not Completed by then is timed out. */
  deadline: number;
  pollIntervalMs: number;
  newRequest: (index: number) => ScheduleDeliveryRequest;
  onEvent?: (event: DeliveryRunEvent) => void;
  signal?: AbortSignal;
}

/**
 * Schedules and follows `count` deliveries, `concurrency` at a time, and returns every outcome
 * in index order. Deliveries not started by the deadline are timed out without a request.
 */
export async function runDeliveries(options: RunDeliveriesOptions): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.count) {
      const index = next++;
      if (Date.now() >= options.deadline) {
        const outcome: DeliveryOutcome = {
          index,
          result: 'timed-out',
          startedAt: Date.now(),
          scheduleAttempts: 0,
          reason: 'not started before the timeout',
        };
        options.onEvent?.({ type: 'finished', outcome });
        outcomes[index] = outcome;
        continue;
      }
      outcomes[index] = await runDelivery(options.client, options.newRequest(index), {
        index,
        idempotencyKey: randomUUID(),
        deadline: options.deadline,
        pollIntervalMs: options.pollIntervalMs,
        signal: options.signal,
        onEvent: options.onEvent,
      });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, options.count));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}
