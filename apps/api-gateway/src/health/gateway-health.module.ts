import { Module } from '@nestjs/common';
import { ShutdownState } from '@drone-delivery/service-defaults';
import { GatewayHealthController } from './gateway-health.controller';

/** Liveness, readiness, and the drain flag flipped when shutdown begins. */
@Module({
  controllers: [GatewayHealthController],
  providers: [ShutdownState],
})
export class GatewayHealthModule {}
