import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '../outbox/outbox.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryStatusController } from './delivery-status.controller';
import { Delivery } from './delivery.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Delivery]), OutboxModule],
  controllers: [DeliveriesController, DeliveryStatusController],
  providers: [DeliveriesService],
  // The telemetry consumer moves deliveries through the same service as the internal API.
  exports: [DeliveriesService],
})
export class DeliveriesModule {}
