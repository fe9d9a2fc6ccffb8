import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { type Caller } from '@drone-delivery/http';
import { problemException } from '../common/problems';
import { type SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_CONFIG } from '../config/scheduler.config.token';
import { accountToScheduleFor, ownedOrNotFound } from '../ownership/ownership';
import { deliveryRequestNotFound } from '../ownership/ownership-problems';
import { type DeliveryRequestDto } from './delivery-request.dto';
import { type SagaLog, type ScheduledDelivery } from './saga-log.entity';
import { LeaseLostError, SagaLogRepository, type SagaLease } from './saga-log.repository';
import { ScheduleDeliverySaga } from './schedule-delivery.saga';
import { type ScheduleDeliveryDto } from './schedule-delivery.dto';
import { fingerprintScheduleRequest, normalizeScheduleRequest } from './schedule-request';
import {
  asyncBacklogFullException,
  idempotencyKeyReusedException,
  requestInProgressException,
} from './scheduling-problems';

/** 201 with the scheduled delivery, or 202 when the client asked for an asynchronous answer. */
export type ScheduleOutcome =
  { kind: 'scheduled'; delivery: ScheduledDelivery } | { kind: 'accepted'; requestId: string };

export interface ScheduleOptions {
  idempotencyKey?: string;
  /** `Prefer: respond-async`: answer 202 at once and run the saga in the background. */
  respondAsync: boolean;
}

/**
 * `POST /api/v1/deliveries`: records the request, runs the saga (now or in the background) and
 * answers from its outcome. The delivery is for the caller's account (an operator names one).
 * A repeated Idempotency-Key of the same account gets the first request's answer:
 * - same body, finished: the same 201, or the same error (a 5xx gives its key back: see the saga);
 * - same body, still running: 202 + Location with `Prefer: respond-async`, else 409 + Location
 *   (draft-ietf-httpapi-idempotency-key-header);
 * - another body: 409.
 * Another account's key is another key: it neither replays nor clashes.
 * Asynchronous requests take one of ASYNC_SAGAS_MAX_PENDING slots until their saga ends; when
 * none is free a new one is refused with 503 + Retry-After (a repeat of a known key is still
 * answered), so a burst of 202s cannot grow the backlog without bound.
 */
@Injectable()
export class ScheduleDeliveryService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ScheduleDeliveryService.name);
  /** Sagas running in the background, drained on shutdown. */
  private readonly inBackground = new Set<Promise<unknown>>();
  /** Asynchronous requests holding a slot: being recorded, or running in the background. */
  private asyncSlotsTaken = 0;

  constructor(
    private readonly log: SagaLogRepository,
    private readonly saga: ScheduleDeliverySaga,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async schedule(
    caller: Caller,
    dto: ScheduleDeliveryDto,
    options: ScheduleOptions,
  ): Promise<ScheduleOutcome> {
    const request = normalizeScheduleRequest(dto, accountToScheduleFor(caller, dto.accountId));
    const requestHash = fingerprintScheduleRequest(request);
    // Taken before the first await, so that concurrent requests cannot all see a free slot.
    if (options.respondAsync && !this.takeAsyncSlot()) {
      const known =
        options.idempotencyKey === undefined
          ? null
          : await this.log.findByIdempotencyKey(request.accountId, options.idempotencyKey);
      if (known) return this.replay(known, requestHash, true);
      throw asyncBacklogFullException(this.config.RETRY_AFTER_SECONDS);
    }
    let begun: Awaited<ReturnType<SagaLogRepository['begin']>>;
    try {
      begun = await this.log.begin(
        {
          requestId: uuidv7(),
          deliveryId: uuidv7(),
          packageId: uuidv7(),
          accountId: request.accountId,
          idempotencyKey: options.idempotencyKey ?? null,
          requestHash,
          request,
        },
        randomUUID(),
      );
    } catch (error) {
      if (options.respondAsync) this.asyncSlotsTaken -= 1;
      throw error;
    }
    if (begun.existing) {
      if (options.respondAsync) this.asyncSlotsTaken -= 1;
      return this.replay(begun.existing, requestHash, options.respondAsync);
    }

    const { lease } = begun;
    if (options.respondAsync) {
      this.runInBackground(lease);
      return { kind: 'accepted', requestId: lease.saga.requestId };
    }
    try {
      return this.outcomeOf(await this.saga.run(lease), false);
    } catch (error) {
      // Another runner took the saga over; the client can follow it like a repeated request.
      if (error instanceof LeaseLostError) throw requestInProgressException(error.requestId);
      throw error;
    }
  }

  /** `GET /api/v1/delivery-requests/{requestId}`: 404 for another account's, as for none. */
  async findRequest(caller: Caller, requestId: string): Promise<DeliveryRequestDto> {
    const saga = ownedOrNotFound(caller, await this.log.findByRequestId(requestId), () =>
      deliveryRequestNotFound(requestId),
    );
    switch (saga.state) {
      case 'pending':
        return { requestId, state: 'pending' };
      case 'succeeded':
        return { requestId, state: 'succeeded', deliveryId: saga.deliveryId };
      // A step that may have taken effect is still being settled: not known to have failed.
      case 'compensating':
        if (saga.uncertainStep !== null) return { requestId, state: 'pending' };
        return { requestId, state: 'failed', ...(saga.error && { error: saga.error }) };
      // To the client a saga compensating only what it surely did has failed: what is left is
      // cleaning up.
      case 'failed':
        return { requestId, state: 'failed', ...(saga.error && { error: saga.error }) };
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Let background sagas finish; one cut short is finished by a recovery sweep elsewhere.
    await Promise.allSettled([...this.inBackground]);
  }

  private replay(existing: SagaLog, requestHash: string, respondAsync: boolean): ScheduleOutcome {
    if (existing.requestHash !== requestHash) throw idempotencyKeyReusedException();
    // The first answer said the request failed, but a step may have taken effect (the saga
    // kept the key for that reason): until the sweep knows, a repeat is told it is in progress,
    // as for a saga still running, rather than starting a second delivery.
    if (existing.state === 'compensating' && existing.uncertainStep !== null) {
      if (respondAsync) return { kind: 'accepted', requestId: existing.requestId };
      throw requestInProgressException(existing.requestId);
    }
    return this.outcomeOf(existing, respondAsync);
  }

  private outcomeOf(saga: SagaLog, respondAsync: boolean): ScheduleOutcome {
    switch (saga.state) {
      case 'succeeded':
        return { kind: 'scheduled', delivery: saga.result as ScheduledDelivery };
      case 'compensating':
      case 'failed':
        throw problemException(saga.error ?? { type: 'about:blank', title: 'Failed', status: 500 });
      case 'pending':
        if (respondAsync) return { kind: 'accepted', requestId: saga.requestId };
        throw requestInProgressException(saga.requestId);
    }
  }

  private takeAsyncSlot(): boolean {
    if (this.asyncSlotsTaken >= this.config.ASYNC_SAGAS_MAX_PENDING) return false;
    this.asyncSlotsTaken += 1;
    return true;
  }

  /** Holds the slot taken for it until the saga has ended. */
  private runInBackground(lease: SagaLease): void {
    const running = this.saga
      .run(lease)
      .catch((error: unknown) => {
        // The saga stays pending; its lease lapses and a recovery sweep finishes it.
        this.logger.error(
          `saga ${lease.saga.requestId} stopped: ${error instanceof Error ? error.message : String(error)}`,
        );
      })
      .finally(() => {
        this.inBackground.delete(running);
        this.asyncSlotsTaken -= 1;
      });
    this.inBackground.add(running);
  }
}
