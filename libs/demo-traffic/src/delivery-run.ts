import { type DeliveryEventName, type ProblemDetails } from '@drone-delivery/contracts';
import { type ScheduleDeliveryRequest } from './delivery-requests';
import {
  ApiResponseError,
  ApiUnreachableError,
  type PublicApiClient,
  type RetryNotice,
  type ScheduledDelivery,
  sleep,
} from './public-api.client';

/** How one delivery ended for the client that scheduled and followed it. */
export interface DeliveryOutcome {
  /** Its number in the run (0, 1, 2…), so deliveries never scheduled can be told apart too. */
  index: number;
  result: 'completed' | 'failed' | 'timed-out';
  deliveryId?: string;
  /** Epoch ms of the first schedule attempt. */
  startedAt: number;
  /** From the first schedule attempt (waits for a free drone included) to Completed. */
  timeToCompletedMs?: number;
  scheduleAttempts: number;
  /** The API's problem document: why it failed, or the last answer before it timed out. */
  problem?: ProblemDetails;
  /** Why, when there is no problem document (unreachable, cancelled, still in flight). */
  reason?: string;
}

/** What happens to a delivery, as it happens (for progress bars and logs). */
export type DeliveryRunEvent =
  | { type: 'retrying'; index: number; notice: RetryNotice }
  | { type: 'scheduled'; index: number; delivery: ScheduledDelivery }
  | { type: 'stage'; index: number; deliveryId: string; stage: DeliveryEventName }
  | { type: 'finished'; outcome: DeliveryOutcome };

export interface DeliveryRunOptions {
  index: number;
  idempotencyKey: string;
  /** Epoch ms: not Completed by then is timed out. */
  deadline: number;
  /** Pause between two reads of the delivery's history. */
  pollIntervalMs: number;
  signal?: AbortSignal;
  onEvent?: (event: DeliveryRunEvent) => void;
}

/**
 * Schedules one delivery through the scheduler, then follows its history (delivery-history)
 * until it shows DeliveryCompleted, DeliveryCancelled or the deadline passes.
 */
export async function runDelivery(
  client: PublicApiClient,
  request: ScheduleDeliveryRequest,
  options: DeliveryRunOptions,
): Promise<DeliveryOutcome> {
  const startedAt = Date.now();
  const base = { index: options.index, startedAt };
  const finish = (outcome: DeliveryOutcome): DeliveryOutcome => {
    options.onEvent?.({ type: 'finished', outcome });
    return outcome;
  };

  let scheduled;
  try {
    scheduled = await client.scheduleDelivery(request, {
      idempotencyKey: options.idempotencyKey,
      deadline: options.deadline,
      signal: options.signal,
      onRetry: (notice) => options.onEvent?.({ type: 'retrying', index: options.index, notice }),
    });
  } catch (error) {
    if (!(error instanceof ApiUnreachableError)) throw error;
    return finish({ ...base, result: 'failed', scheduleAttempts: 0, reason: error.message });
  }
  if (scheduled.kind === 'rejected') {
    return finish({
      ...base,
      result: 'failed',
      scheduleAttempts: scheduled.attempts,
      problem: scheduled.problem,
    });
  }
  if (scheduled.kind === 'gave-up') {
    return finish({
      ...base,
      result: 'timed-out',
      scheduleAttempts: scheduled.attempts,
      problem: scheduled.problem,
      reason: 'not scheduled before the timeout',
    });
  }

  const { deliveryId } = scheduled.delivery;
  options.onEvent?.({ type: 'scheduled', index: options.index, delivery: scheduled.delivery });
  const followed = await followDelivery(client, deliveryId, startedAt, options);
  return finish({
    ...base,
    ...followed,
    deliveryId,
    scheduleAttempts: scheduled.attempts,
  });
}

type FollowResult = Pick<DeliveryOutcome, 'result' | 'timeToCompletedMs' | 'reason'>;

async function followDelivery(
  client: PublicApiClient,
  deliveryId: string,
  startedAt: number,
  options: DeliveryRunOptions,
): Promise<FollowResult> {
  let lastStage: DeliveryEventName | undefined;
  let lastError: string | undefined;
  for (;;) {
    try {
      const entries = await client.history(deliveryId, options.signal);
      lastError = undefined;
      const latest = entries.at(-1)?.type;
      if (latest && latest !== lastStage) {
        lastStage = latest;
        options.onEvent?.({ type: 'stage', index: options.index, deliveryId, stage: latest });
      }
      const completed = entries.find((entry) => entry.type === 'DeliveryCompleted');
      if (completed) {
        return {
          result: 'completed',
          timeToCompletedMs: timeToCompleted(startedAt, completed.occurredAt, Date.now()),
        };
      }
      if (entries.some((entry) => entry.type === 'DeliveryCancelled')) {
        return { result: 'failed', reason: 'cancelled (its history shows DeliveryCancelled)' };
      }
    } catch (error) {
      // delivery-history restarting or slow is worth waiting for, up to the deadline.
      if (!(error instanceof ApiUnreachableError || error instanceof ApiResponseError)) throw error;
      lastError = error.message;
    }
    if (Date.now() + options.pollIntervalMs > options.deadline) {
      const stage = lastStage ? `its history's last event is ${lastStage}` : 'no history yet';
      return {
        result: 'timed-out',
        reason: `not Completed before the timeout (${stage}${lastError ? `; ${lastError}` : ''})`,
      };
    }
    await sleep(options.pollIntervalMs, options.signal);
  }
}

/**
 * When the Completed event happened (its occurredAt) rather than when a poll first saw it, so
 * the poll interval does not inflate the figure. Falls back to the moment it was seen if the
 * server's clock disagrees with ours (an occurredAt before we started or after we saw it).
 */
export function timeToCompleted(startedAt: number, occurredAt: string, seenAt: number): number {
  const at = Date.parse(occurredAt);
  const plausible = Number.isFinite(at) && at >= startedAt && at <= seenAt;
  return (plausible ? at : seenAt) - startedAt;
}
