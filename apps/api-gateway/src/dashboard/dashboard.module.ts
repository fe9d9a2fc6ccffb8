import { Module } from '@nestjs/common';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { DashboardSite } from './dashboard-site';

/** The dashboard (apps/dashboard, built by Vite), served by the gateway at `/`. */
@Module({
  imports: [RateLimitsModule],
  providers: [DashboardSite],
  exports: [DashboardSite],
})
export class DashboardModule {}
