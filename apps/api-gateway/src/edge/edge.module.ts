import { Module } from '@nestjs/common';
import { FleetModule } from '../fleet/fleet.module';
import { OperationsModule } from '../operations/operations.module';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { RoutingModule } from '../routing/routing.module';
import { EdgeAuthentication } from './edge-authentication';
import { EdgeRoutes } from './edge.routes';

/** The public entry: token check, rate limits, then forwarding. */
@Module({
  imports: [RateLimitsModule, RoutingModule, FleetModule, OperationsModule],
  providers: [EdgeAuthentication, EdgeRoutes],
  exports: [EdgeRoutes],
})
export class EdgeModule {}
