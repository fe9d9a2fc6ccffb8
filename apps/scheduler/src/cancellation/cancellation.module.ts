import { Module } from '@nestjs/common';
import { DownstreamModule } from '../downstream/downstream.module';
import { OwnershipModule } from '../ownership/ownership.module';
import { CancelDeliveryController } from './cancel-delivery.controller';
import { CancelDeliveryService } from './cancel-delivery.service';

@Module({
  imports: [DownstreamModule, OwnershipModule],
  controllers: [CancelDeliveryController],
  providers: [CancelDeliveryService],
})
export class CancellationModule {}
