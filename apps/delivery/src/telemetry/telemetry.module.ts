import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { DroneTelemetryController } from './drone-telemetry.controller';

/** Delivery's side of `drone.telemetry.v1`: the consumer that derives stages from reports. */
@Module({
  imports: [DeliveriesModule],
  controllers: [DroneTelemetryController],
})
export class TelemetryModule {}
