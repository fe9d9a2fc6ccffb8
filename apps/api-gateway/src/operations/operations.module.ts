import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { DeadLetters } from './dead-letters';
import { OperationsService } from './operations.service';
import { RedriveLock } from './redrive-lock';
import { ServiceProbes } from './service-probes';

/**
 * The operators' views: each service's health and circuit breakers, consumer lag, dead letters
 * and their redrive. Mounted by the edge, behind its token check and rate limits (operators only).
 */
@Module({
  imports: [RoutingModule],
  providers: [ServiceProbes, DeadLetters, RedriveLock, OperationsService],
  exports: [OperationsService],
})
export class OperationsModule {}
