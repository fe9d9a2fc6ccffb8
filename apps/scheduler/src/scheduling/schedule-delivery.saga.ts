import { Inject, Injectable, Logger } from '@nestjs/common';
import { NO_DRONE_AVAILABLE_PROBLEM, type ProblemDetails } from '@drone-delivery/contracts';
import { DownstreamUnavailableError } from '@drone-delivery/http';
import { ProblemException } from '@drone-delivery/service-defaults';
import { dependencyUnavailableProblem, problemException } from '../common/problems';
import { type SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_CONFIG } from '../config/scheduler.config.token';
import { AccountsClient } from '../downstream/accounts.client';
import { AssignmentsClient } from '../downstream/assignments.client';
import { DeliveriesClient } from '../downstream/deliveries.client';
import { DELIVERY_QUOTA_EXCEEDED_PROBLEM } from '@drone-delivery/contracts';
import { DownstreamRejection, UnexpectedAnswerError } from '../downstream/downstream-errors';
import { PackagesClient } from '../downstream/packages.client';
import { type SagaLog } from './saga-log.entity';
import {
  LeaseLostError,
  type SagaChanges,
  SagaLogRepository,
  type SagaLease,
} from './saga-log.repository';
import { type SagaStep, stepBefore, writesToUndo } from './saga-steps';
import {
  accountSuspendedProblem,
  internalErrorProblem,
  noDroneAvailableProblem,
  quotaExceededProblem,
  unknownAccountProblem,
} from './scheduling-problems';

/**
 * The schedule-delivery saga (ARCHITECTURE.md, "The scheduling path"). The caller has recorded
 * the saga with its ids; then:
 *   account active? → PUT package → PUT assignment (a drone) → PUT delivery.
 * Progress is persisted after every step. When a step fails, what was done is undone newest first
 * (release the drone, delete the package) and the saga ends `failed` with the problem document
 * the client gets. An undo that cannot be done now is left to the recovery sweep (`compensating`).
 */
@Injectable()
export class ScheduleDeliverySaga {
  private readonly logger = new Logger(ScheduleDeliverySaga.name);

  constructor(
    private readonly log: SagaLogRepository,
    private readonly accounts: AccountsClient,
    private readonly packages: PackagesClient,
    private readonly assignments: AssignmentsClient,
    private readonly deliveries: DeliveriesClient,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /**
   * Runs the saga from the first step, whether it is new or recovered after a crash: every write
   * is an idempotent PUT under ids fixed up front, so a step done before is merely confirmed.
   * Resolves with the saga succeeded, failed or compensating.
   */
  async run(lease: SagaLease): Promise<SagaLog> {
    const { saga } = lease;
    const { request } = saga;
    let step: SagaStep = 'account';
    try {
      await this.checkAccountMayOrder(request.accountId);
      await this.completed(lease, 'account');

      step = 'package';
      await this.packages.putPackage(saga.packageId, {
        accountId: request.accountId,
        ...request.package,
      });
      await this.completed(lease, 'package');

      step = 'assignment';
      const assignment = await this.assignments.assignDrone(saga.deliveryId, {
        pickup: request.pickup,
        dropoff: request.dropoff,
        packageWeightKg: request.package.weightKg,
        ...(request.pickupTime !== undefined && { pickupTime: request.pickupTime }),
      });
      await this.completed(lease, 'assignment', { droneId: assignment.droneId });

      step = 'delivery';
      await this.deliveries.createDelivery(saga.deliveryId, {
        accountId: request.accountId,
        packageId: saga.packageId,
        droneId: assignment.droneId,
        pickup: request.pickup,
        dropoff: request.dropoff,
        ...(request.pickupTime !== undefined && { pickupTime: request.pickupTime }),
        ...(request.deadline !== undefined && { deadline: request.deadline }),
        expedited: request.expedited,
        confirmationRequired: request.confirmationRequired,
        pickupEta: assignment.pickupEta,
        dropoffEta: assignment.dropoffEta,
      });
      await this.log.release(lease, {
        state: 'succeeded',
        lastCompletedStep: 'delivery',
        result: {
          deliveryId: saga.deliveryId,
          packageId: saga.packageId,
          droneId: assignment.droneId,
          stage: 'Created',
          pickupEta: assignment.pickupEta,
          dropoffEta: assignment.dropoffEta,
        },
      });
      this.crashIfTestAsks('delivery');
      return saga;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      return this.fail(lease, step, error);
    }
  }

  /** For the recovery sweep: finishes undoing a saga that failed earlier. */
  finishCompensation(lease: SagaLease): Promise<SagaLog> {
    return this.undo(lease, { includingUncertainStep: true });
  }

  private async checkAccountMayOrder(accountId: string): Promise<void> {
    const account = await this.accounts.findAccount(accountId);
    if (account === null) throw problemException(unknownAccountProblem(accountId));
    if (account.status !== 'active') throw problemException(accountSuspendedProblem(accountId));
  }

  private async completed(lease: SagaLease, step: SagaStep, changes: SagaChanges = {}) {
    await this.log.record(lease, { lastCompletedStep: step, ...changes });
    this.crashIfTestAsks(step);
  }

  private async fail(lease: SagaLease, step: SagaStep, error: unknown): Promise<SagaLog> {
    const problem = this.problemFor(lease.saga, error);
    const message = `saga ${lease.saga.requestId} failed at ${step} (${problem.status} ${problem.title}); compensating`;
    // A refused request (no drone, suspended account) is business as usual; a 5xx is not.
    if (problem.status >= 500) this.logger.warn(message);
    else this.logger.log(message);
    // A call that got no answer may have done its work anyway, so it is undone as well.
    const uncertainStep = step !== 'account' && mayHaveTakenEffect(error) ? step : null;
    await this.log.record(lease, {
      state: 'compensating',
      error: problem,
      uncertainStep,
      // A 5xx or a 429 says "try again later", not "this request is wrong": the key is given
      // back so that the retry is a new attempt, rather than a replay of this failure forever.
      // Not while a step may have taken effect: a retry then would schedule the delivery twice
      // if it did. The key is kept until the recovery sweep knows (undo, below).
      ...(saysTryAgainLater(problem) && uncertainStep === null && { idempotencyKey: null }),
    });
    if (uncertainStep === 'delivery') {
      // The delivery may exist: releasing its drone or deleting its package first would leave it
      // unable to fly, and if it flies, neither may be undone at all. Newest first, so all of it
      // waits for the sweep, which settles the delivery before anything else.
      await this.log.release(lease, {});
      return lease.saga;
    }
    return this.undo(lease, { includingUncertainStep: false });
  }

  /**
   * Undoes the saga's writes newest first, persisting after each undo, so a crash repeats at
   * most one (harmless: every undo is idempotent). The write that got no answer is undone only by
   * the recovery sweep: its service has just failed to answer, and asking it again right away
   * would make the client wait twice. An undo that cannot be done now (its service is down)
   * leaves the saga `compensating`, lease released, for the next sweep.
   */
  private async undo(
    lease: SagaLease,
    { includingUncertainStep }: { includingUncertainStep: boolean },
  ): Promise<SagaLog> {
    const { saga } = lease;
    try {
      if (includingUncertainStep && saga.uncertainStep !== null) {
        if (saga.uncertainStep === 'delivery' && (await this.wentAhead(lease))) return saga;
        await this.undoWrite(saga, saga.uncertainStep);
        await this.log.record(lease, {
          uncertainStep: null,
          // Now known not to have happened: a retry with the key is a new attempt.
          ...(saga.error && saysTryAgainLater(saga.error) && { idempotencyKey: null }),
        });
      }
      for (const step of writesToUndo(saga.lastCompletedStep)) {
        await this.undoWrite(saga, step);
        await this.log.record(lease, { lastCompletedStep: stepBefore(step) });
      }
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      this.logger.warn(
        `saga ${saga.requestId}: compensation continues in the recovery sweep: ${describe(error)}`,
      );
      await this.log.release(lease, {});
      return saga;
    }
    await this.log.release(lease, saga.uncertainStep === null ? { state: 'failed' } : {});
    return saga;
  }

  /**
   * A delivery whose PUT got no answer may have been written, and flown, before the sweep
   * comes to cancel it: cancelling a Completed delivery is refused, and releasing its drone or
   * deleting its package would be wrong. Such a saga succeeded after all; its key (kept) now
   * replays the 201. True when it was settled that way.
   */
  private async wentAhead(lease: SagaLease): Promise<boolean> {
    const { saga } = lease;
    const delivery = await this.deliveries.findDelivery(saga.deliveryId);
    if (delivery?.stage !== 'Completed') return false;
    this.logger.warn(
      `saga ${saga.requestId}: its delivery was written and completed before compensation; ` +
        'recorded as succeeded',
    );
    await this.log.release(lease, {
      state: 'succeeded',
      uncertainStep: null,
      lastCompletedStep: 'delivery',
      result: {
        deliveryId: saga.deliveryId,
        packageId: saga.packageId,
        droneId: delivery.droneId,
        stage: 'Created',
        pickupEta: delivery.pickupEta,
        dropoffEta: delivery.dropoffEta,
      },
    });
    return true;
  }

  private async undoWrite(saga: SagaLog, step: SagaStep): Promise<void> {
    switch (step) {
      case 'delivery':
        // delivery has no delete; cancelling is its undo. 404: it was never written.
        try {
          await this.deliveries.cancel(saga.deliveryId);
        } catch (error) {
          if (!(error instanceof DownstreamRejection && error.status === 404)) throw error;
        }
        return;
      case 'assignment':
        return this.assignments.releaseDrone(saga.deliveryId);
      case 'package':
        return this.packages.deletePackage(saga.packageId);
      case 'account':
        return; // a read: nothing to undo
    }
  }

  /** The client's answer for a failed step. */
  private problemFor(saga: SagaLog, error: unknown): ProblemDetails {
    const retryAfter = this.config.RETRY_AFTER_SECONDS;
    if (error instanceof ProblemException) return error.problem;
    if (error instanceof DownstreamRejection) {
      switch (error.problem.type) {
        case NO_DRONE_AVAILABLE_PROBLEM:
          return noDroneAvailableProblem(error.problem, retryAfter);
        case DELIVERY_QUOTA_EXCEEDED_PROBLEM:
          return quotaExceededProblem(saga.request.accountId, error.problem, retryAfter);
        default:
          return error.problem; // 422 out of the service area, with drone-management's field errors
      }
    }
    if (error instanceof DownstreamUnavailableError || error instanceof UnexpectedAnswerError) {
      return dependencyUnavailableProblem(error, retryAfter);
    }
    this.logger.error(
      `saga ${saga.requestId} failed unexpectedly: ${describe(error)}`,
      error instanceof Error ? error.stack : undefined,
    );
    return internalErrorProblem();
  }

  /** The crash test's hook (SAGA_CRASH_AFTER_STEP, NODE_ENV=test only): die as a crash would. */
  private crashIfTestAsks(step: SagaStep): void {
    if (this.config.SAGA_CRASH_AFTER_STEP !== step) return;
    process.stderr.write(`SAGA_CRASH_AFTER_STEP=${step}: killing the process\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

function saysTryAgainLater(problem: ProblemDetails): boolean {
  return problem.status >= 500 || problem.status === 429;
}

function mayHaveTakenEffect(error: unknown): boolean {
  // No answer: an attempt may have arrived and done its work before the answer was lost.
  if (error instanceof DownstreamUnavailableError) return true;
  if (error instanceof UnexpectedAnswerError) return error.mayHaveTakenEffect;
  // A refusal the contract lists changed nothing; an error we do not know, assume the worst.
  return !(error instanceof DownstreamRejection || error instanceof ProblemException);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
