import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  type DroneTelemetryEvent,
  EventValidationError,
  parseDroneTelemetry,
  TOPICS,
} from '@drone-delivery/contracts';
import { withCorrelationId } from '@drone-delivery/http';
import { InvalidMessageError } from '@drone-delivery/messaging';
import { DeliveriesService } from '../deliveries/deliveries.service';

/**
 * Consumes `drone.telemetry.v1`: each report moves the delivery it names (location, ETAs,
 * InTransit, Completed). The handler resolves only once the change and its events committed, so
 * the consumer commits the offset after that; a failure is retried, then dead-lettered.
 */
@Controller()
export class DroneTelemetryController {
  private readonly logger = new Logger(DroneTelemetryController.name);

  constructor(private readonly deliveries: DeliveriesService) {}

  @EventPattern<string>(TOPICS.droneTelemetry.name)
  async trackDelivery(@Payload() message: unknown): Promise<void> {
    const report = parseReport(message);
    // Events derived from the report carry its correlation id, or else its id: the cause.
    await withCorrelationId(report.correlationid ?? report.id, async () => {
      const outcome = await this.deliveries.applyDroneReport(report);
      if (outcome === 'other-drone') {
        this.logger.warn(
          `telemetry ${report.id} of drone ${report.data.droneId} names delivery ` +
            `${report.data.deliveryId}, which another drone flies: ignored`,
        );
      }
    });
  }
}

/** A report that breaks the contract can never be applied: it goes to the DLQ at once. */
function parseReport(message: unknown): DroneTelemetryEvent {
  try {
    return parseDroneTelemetry(message);
  } catch (error) {
    if (error instanceof EventValidationError) throw new InvalidMessageError(error.message);
    throw error;
  }
}
