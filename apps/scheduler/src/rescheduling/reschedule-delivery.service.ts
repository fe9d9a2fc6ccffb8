import { ConflictException, Inject, Injectable } from '@nestjs/common';
import {
  type DeliveryView,
  type PatchAssignmentRequest,
  type PatchDeliveryRequest,
} from '@drone-delivery/contracts';
import { type Caller } from '@drone-delivery/http';
import { fieldErrorsProblem } from '@drone-delivery/service-defaults';
import { publicProblemFor } from '../common/problems';
import { type SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_CONFIG } from '../config/scheduler.config.token';
import { AssignmentsClient } from '../downstream/assignments.client';
import { DeliveriesClient } from '../downstream/deliveries.client';
import { OwnedDeliveriesService } from '../ownership/owned-deliveries.service';
import { toIsoInstant } from '../scheduling/schedule-request';
import { type RescheduleDeliveryDto } from './reschedule-delivery.dto';

/**
 * `PATCH /api/v1/deliveries/{deliveryId}`: re-plans the drone's trip, then records the new plan
 * on the delivery (which emits DeliveryRescheduled), if the delivery is the caller's (404 if not,
 * as for an unknown one; an operator may change any). Not a saga: both writes are idempotent, so a
 * client that gets a 503 halfway simply sends the same PATCH again.
 *
 * A delivery can be rescheduled only before its drone picks the package up, and drone-management
 * alone decides that, under the drone's lock (its 409 is passed on, and delivery is not asked):
 * the stage read here may be a moment old. What it accepted, delivery records even if the
 * drone's InTransit report got there first, so drone and delivery never disagree. A new deadline
 * alone does not concern the drone; delivery decides it by its stage.
 */
@Injectable()
export class RescheduleDeliveryService {
  constructor(
    private readonly owned: OwnedDeliveriesService,
    private readonly deliveries: DeliveriesClient,
    private readonly assignments: AssignmentsClient,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async reschedule(
    caller: Caller,
    deliveryId: string,
    change: RescheduleDeliveryDto,
  ): Promise<DeliveryView> {
    const { dropoff, pickupTime: newPickupTime, deadline: newDeadline } = change;
    if (dropoff === undefined && newPickupTime === undefined && newDeadline === undefined) {
      throw fieldErrorsProblem([
        { field: 'body', message: 'give at least one of dropoff, pickupTime and deadline' },
      ]);
    }
    try {
      const current = await this.owned.find(caller, deliveryId);
      if (current.stage === 'Completed' || current.stage === 'Cancelled') {
        throw new ConflictException(
          `Delivery ${deliveryId} is ${current.stage}; it cannot change.`,
        );
      }
      const pickupTime = newPickupTime && toIsoInstant(newPickupTime);
      const deadline = newDeadline && toIsoInstant(newDeadline);
      assertDeadlineAfterPickup(deadline, pickupTime ?? current.pickupTime);

      const update: PatchDeliveryRequest = {
        ...(dropoff && { dropoff: { lat: dropoff.lat, lng: dropoff.lng } }),
        ...(pickupTime && { pickupTime }),
        ...(deadline && { deadline }),
      };
      // Only where and when the drone flies change its plan; a new deadline alone does not.
      if (update.dropoff || update.pickupTime) {
        const replan: PatchAssignmentRequest = {
          ...(update.dropoff && { dropoff: update.dropoff }),
          ...(update.pickupTime && { pickupTime: update.pickupTime }),
        };
        const plan = await this.assignments.replan(deliveryId, replan);
        Object.assign(update, { pickupEta: plan.pickupEta, dropoffEta: plan.dropoffEta });
      }
      return await this.deliveries.reschedule(deliveryId, update);
    } catch (error) {
      throw publicProblemFor(error, this.config.RETRY_AFTER_SECONDS);
    }
  }
}

/** The delivery's own pickup time counts when the request moves only the deadline. */
function assertDeadlineAfterPickup(deadline: string | undefined, pickupTime: string | undefined) {
  if (deadline && pickupTime && Date.parse(deadline) <= Date.parse(pickupTime)) {
    throw fieldErrorsProblem([
      { field: 'deadline', message: `deadline must be after the pickup time ${pickupTime}` },
    ]);
  }
}
