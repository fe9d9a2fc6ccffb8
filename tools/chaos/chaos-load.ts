import { randomUUID } from 'node:crypto';
import { pointAt, randomDeliveryRequest, sleep } from '@drone-delivery/demo-traffic';
import { type ApiAnswer, type ChaosApi, retryAfterOf } from './chaos-api';

/** What the load knows of one delivery it asked for (one Idempotency-Key). */
export interface DeliveryIntent {
  idempotencyKey: string;
  mode: 'sync' | 'async';
  outcome: 'pending' | 'accepted' | 'refused' | 'gave-up';
  deliveryId?: string;
  /** Every deliveryId the API answered for this key: more than one is a doubled delivery. */
  deliveryIds: string[];
  acceptedAt?: number;
  refusal?: string;
  reschedule?: { ok: number; conflict: number; mayHaveApplied: number; other: number };
  cancel?: 'cancelled' | 'already-completed' | 'unanswered' | 'other';
  subscriptionId?: string;
}

export interface LoadOptions {
  api: ChaosApi;
  concurrency: number;
  /** No new delivery is started once this says stop. */
  shouldStop: () => boolean;
  /** Time one delivery request gets to be answered for good, retries included. */
  intentTimeoutMs: number;
  webhookUrl: (intent: DeliveryIntent) => string;
  random?: () => number;
}

export interface LoadResult {
  intents: DeliveryIntent[];
  /** Answers by call and status, e.g. `POST 201`, `POST 503`, `POST none` (no answer). */
  answers: Record<string, number>;
  requests: number;
  startedAt: number;
  endedAt: number;
}

const RESCHEDULE_SHARE = 0.12;
const CANCEL_SHARE = 0.1;
const SUBSCRIBE_SHARE = 0.1;
const POLL_MS = 500;

/** Worth another try with the same request: no answer, overload, a dependency or a peer down. */
const retryable = (answer: ApiAnswer) =>
  answer.status === 0 ||
  answer.status === 429 ||
  answer.status >= 500 ||
  (answer.status === 409 && answer.headers.has('retry-after'));

/**
 * Steady deliveries through the public API, as a careful client sends them: half answered at once
 * (201), half with `Prefer: respond-async` (202, then polled); refusals that say "later" retried
 * after their Retry-After with the same Idempotency-Key; some deliveries rescheduled, some
 * cancelled, some followed by a webhook. Every answer is counted.
 */
export function startLoad(options: LoadOptions): {
  result: LoadResult;
  done: Promise<LoadResult>;
  accepted: () => number;
} {
  const random = options.random ?? Math.random;
  const result: LoadResult = {
    intents: [],
    answers: {},
    requests: 0,
    startedAt: Date.now(),
    endedAt: 0,
  };
  const call = async (label: string, method: string, path: string, init = {}) => {
    const answer = await options.api.call(method, path, init);
    result.requests += 1;
    const key = `${label} ${answer.status || 'none'}`;
    result.answers[key] = (result.answers[key] ?? 0) + 1;
    return answer;
  };

  const schedule = async (intent: DeliveryIntent, body: unknown, deadline: number) => {
    const accept = (deliveryId: string) => {
      if (!intent.deliveryIds.includes(deliveryId)) intent.deliveryIds.push(deliveryId);
      intent.deliveryId ??= deliveryId;
      intent.acceptedAt ??= Date.now();
      intent.outcome = 'accepted';
    };
    const headers: Record<string, string> = { 'idempotency-key': intent.idempotencyKey };
    if (intent.mode === 'async') headers.prefer = 'respond-async';
    while (Date.now() < deadline) {
      const answer = await call(`POST ${intent.mode}`, 'POST', '/api/v1/deliveries', {
        body,
        headers,
      });
      if (answer.status === 201) return accept((answer.body as { deliveryId: string }).deliveryId);
      let retry = answer;
      if (answer.status === 202) {
        const location = answer.headers.get('location') ?? '';
        const state = await pollRequest(location, deadline);
        if (state.state === 'succeeded') return accept(state.deliveryId!);
        if (state.state === 'failed' && state.error && state.error.status < 500) {
          intent.outcome = 'refused';
          intent.refusal = `${state.error.status} ${state.error.type}`;
          return;
        }
        // Failed for a 5xx (the key is given back) or still pending: send it again.
        retry = { ...answer, headers: new Headers() };
      } else if (!retryable(answer)) {
        const problem = answer.body as { type?: string } | undefined;
        intent.outcome = 'refused';
        intent.refusal = `${answer.status} ${problem?.type ?? ''}`;
        return;
      }
      await sleep(Math.min(retryAfterOf(retry), 5_000) * (0.5 + random()));
    }
    intent.outcome = 'gave-up';
  };

  const pollRequest = async (location: string, deadline: number) => {
    while (Date.now() < deadline) {
      await sleep(POLL_MS);
      const answer = await call('GET request', 'GET', location);
      if (answer.status !== 200) {
        if (answer.status === 404) return { state: 'unknown' as const };
        continue;
      }
      const state = answer.body as {
        state: 'pending' | 'succeeded' | 'failed';
        deliveryId?: string;
        error?: { status: number; type: string };
      };
      if (state.state !== 'pending') return state;
    }
    return { state: 'pending' as const };
  };

  const reschedule = async (intent: DeliveryIntent, pickup: { lat: number; lng: number }) => {
    const tally = { ok: 0, conflict: 0, mayHaveApplied: 0, other: 0 };
    intent.reschedule = tally;
    const dropoff = pointAt(pickup, random() * 360, 1 + random() * 2);
    for (let attempt = 1; attempt <= 6; attempt++) {
      const answer = await call('PATCH', 'PATCH', `/api/v1/deliveries/${intent.deliveryId}`, {
        body: { dropoff },
      });
      if (answer.status === 200) {
        tally.ok += 1;
        tally.mayHaveApplied += 1;
        return;
      }
      if (answer.status === 409 && !answer.headers.has('retry-after')) {
        tally.conflict += 1;
        return;
      }
      if (!retryable(answer)) {
        tally.other += 1;
        return;
      }
      // No answer or a 5xx: the change may have been recorded before the failure.
      if (answer.status === 0 || answer.status >= 500) tally.mayHaveApplied += 1;
      await sleep(retryAfterOf(answer));
    }
  };

  const cancel = async (intent: DeliveryIntent, deadline: number) => {
    await sleep(random() * 3_000);
    intent.cancel = 'unanswered';
    while (Date.now() < deadline) {
      const answer = await call('DELETE', 'DELETE', `/api/v1/deliveries/${intent.deliveryId}`);
      if (answer.status === 200 || answer.status === 204) {
        intent.cancel = 'cancelled';
        return;
      }
      if (answer.status === 409 && !answer.headers.has('retry-after')) {
        intent.cancel = 'already-completed';
        return;
      }
      if (!retryable(answer)) {
        intent.cancel = 'other';
        return;
      }
      await sleep(retryAfterOf(answer));
    }
  };

  const subscribe = async (intent: DeliveryIntent) => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const answer = await call(
        'POST notifications',
        'POST',
        `/api/v1/deliveries/${intent.deliveryId}/notifications`,
        { body: { webhookUrl: options.webhookUrl(intent) } },
      );
      if (answer.status === 201) {
        intent.subscriptionId = (answer.body as { subscriptionId: string }).subscriptionId;
        return;
      }
      if (!retryable(answer)) return;
      await sleep(retryAfterOf(answer));
    }
  };

  const worker = async () => {
    while (!options.shouldStop()) {
      const body = randomDeliveryRequest(random);
      const intent: DeliveryIntent = {
        idempotencyKey: randomUUID(),
        mode: random() < 0.5 ? 'sync' : 'async',
        outcome: 'pending',
        deliveryIds: [],
      };
      result.intents.push(intent);
      const deadline = Date.now() + options.intentTimeoutMs;
      await schedule(intent, body, deadline);
      if (intent.outcome !== 'accepted') continue;
      const roll = random();
      if (roll < SUBSCRIBE_SHARE) await subscribe(intent);
      if (roll < RESCHEDULE_SHARE) await reschedule(intent, body.pickup);
      else if (roll < RESCHEDULE_SHARE + CANCEL_SHARE) await cancel(intent, deadline);
    }
  };

  const done = Promise.all(Array.from({ length: options.concurrency }, worker)).then(() => {
    result.endedAt = Date.now();
    return result;
  });
  return {
    result,
    done,
    accepted: () => result.intents.filter((intent) => intent.outcome === 'accepted').length,
  };
}
