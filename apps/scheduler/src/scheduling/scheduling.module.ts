import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DownstreamModule } from '../downstream/downstream.module';
import { DeliveryRequestsController } from './delivery-requests.controller';
import { SagaLog } from './saga-log.entity';
import { SagaLogRepository } from './saga-log.repository';
import { SagaRecoveryService } from './saga-recovery.service';
import { ScheduleDeliveryController } from './schedule-delivery.controller';
import { ScheduleDeliverySaga } from './schedule-delivery.saga';
import { ScheduleDeliveryService } from './schedule-delivery.service';

@Module({
  imports: [TypeOrmModule.forFeature([SagaLog]), DownstreamModule],
  controllers: [ScheduleDeliveryController, DeliveryRequestsController],
  providers: [
    SagaLogRepository,
    ScheduleDeliverySaga,
    ScheduleDeliveryService,
    SagaRecoveryService,
  ],
})
export class SchedulingModule {}
