import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { parseDroneTelemetry, TOPICS } from '@drone-delivery/contracts';
import { withCorrelationId } from '@drone-delivery/http';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { parseMessage } from '@drone-delivery/messaging';
import { DELIVERY_CONSUMERS } from '../delivery-consumers';

/**
 * Consumes `drone.telemetry.v1`: each report moves the delivery it names (location, ETAs,
 * InTransit, Completed). The handler resolves only once the change and its events committed, so
 * the consumer commits the offset after that; a failure is retried, then dead-lettered.
 */
@Controller()
export class DroneTelemetryController {
  private readonly logger = new Logger(DroneTelemetryController.name);

  constructor(private readonly deliveries: DeliveriesService) {}

  @EventPattern<string>(TOPICS.droneTelemetry.name, DELIVERY_CONSUMERS.telemetry)
  async trackDelivery(@Payload() message: unknown): Promise<void> {
    // A report that breaks the contract can never be applied: it goes to the DLQ at once.
    const report = parseMessage(parseDroneTelemetry, message);
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
