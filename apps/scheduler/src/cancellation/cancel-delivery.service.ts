import { Inject, Injectable } from '@nestjs/common';
import { type DeliveryView } from '@drone-delivery/contracts';
import { publicProblemFor } from '../common/problems';
import { type SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_CONFIG } from '../config/scheduler.config.token';
import { AssignmentsClient } from '../downstream/assignments.client';
import { DeliveriesClient } from '../downstream/deliveries.client';

/**
 * `DELETE /api/v1/deliveries/{deliveryId}`: cancels the delivery (which emits DeliveryCancelled
 * and refuses a completed one), then frees its drone. Both calls are idempotent, so a client
 * that gets a 503 halfway sends the same DELETE again.
 */
@Injectable()
export class CancelDeliveryService {
  constructor(
    private readonly deliveries: DeliveriesClient,
    private readonly assignments: AssignmentsClient,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async cancel(deliveryId: string): Promise<DeliveryView> {
    try {
      const cancelled = await this.deliveries.cancel(deliveryId);
      await this.assignments.releaseDrone(deliveryId);
      return cancelled;
    } catch (error) {
      throw publicProblemFor(error, this.config.RETRY_AFTER_SECONDS);
    }
  }
}
