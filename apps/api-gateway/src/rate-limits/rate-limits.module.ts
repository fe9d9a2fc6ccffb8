import { Module } from '@nestjs/common';
import { RateLimitPruner } from './rate-limit-pruner';
import { RateLimiter } from './rate-limiter';
import { RateLimitStore } from './rate-limit.store';

/** Token buckets per account and per client address, kept in the gateway's database. */
@Module({
  providers: [RateLimitStore, RateLimiter, RateLimitPruner],
  exports: [RateLimiter],
})
export class RateLimitsModule {}
