import { Module } from '@nestjs/common';
import { DownstreamModule } from '../downstream/downstream.module';
import { CancelDeliveryController } from './cancel-delivery.controller';
import { CancelDeliveryService } from './cancel-delivery.service';

@Module({
  imports: [DownstreamModule],
  controllers: [CancelDeliveryController],
  providers: [CancelDeliveryService],
})
export class CancellationModule {}
