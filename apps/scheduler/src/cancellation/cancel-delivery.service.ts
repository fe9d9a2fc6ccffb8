import { Inject, Injectable } from '@nestjs/common';
import { type DeliveryView } from '@drone-delivery/contracts';
import { type Caller } from '@drone-delivery/http';
import { publicProblemFor } from '../common/problems';
import { type SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_CONFIG } from '../config/scheduler.config.token';
import { AssignmentsClient } from '../downstream/assignments.client';
import { DeliveriesClient } from '../downstream/deliveries.client';
import { OwnedDeliveriesService } from '../ownership/owned-deliveries.service';

/**
 * `DELETE /api/v1/deliveries/{deliveryId}`: if the delivery is the caller's (404 if not, as for
 * an unknown one; an operator may cancel any), cancels it (which emits DeliveryCancelled and
 * refuses a completed one), then frees its drone. Both calls are idempotent, so a client
 * that gets a 503 halfway sends the same DELETE again.
 */
@Injectable()
export class CancelDeliveryService {
  constructor(
    private readonly owned: OwnedDeliveriesService,
    private readonly deliveries: DeliveriesClient,
    private readonly assignments: AssignmentsClient,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async cancel(caller: Caller, deliveryId: string): Promise<DeliveryView> {
    try {
      await this.owned.find(caller, deliveryId);
      const cancelled = await this.deliveries.cancel(deliveryId);
      await this.assignments.releaseDrone(deliveryId);
      return cancelled;
    } catch (error) {
      throw publicProblemFor(error, this.config.RETRY_AFTER_SECONDS);
    }
  }
}
