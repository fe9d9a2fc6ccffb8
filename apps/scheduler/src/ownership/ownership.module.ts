import { Module } from '@nestjs/common';
import { DownstreamModule } from '../downstream/downstream.module';
import { OwnedDeliveriesService } from './owned-deliveries.service';

@Module({
  imports: [DownstreamModule],
  providers: [OwnedDeliveriesService],
  exports: [OwnedDeliveriesService],
})
export class OwnershipModule {}
