import { Module } from '@nestjs/common';
import { DownstreamModule } from '../downstream/downstream.module';
import { OwnershipModule } from '../ownership/ownership.module';
import { RescheduleDeliveryController } from './reschedule-delivery.controller';
import { RescheduleDeliveryService } from './reschedule-delivery.service';

@Module({
  imports: [DownstreamModule, OwnershipModule],
  controllers: [RescheduleDeliveryController],
  providers: [RescheduleDeliveryService],
})
export class ReschedulingModule {}
