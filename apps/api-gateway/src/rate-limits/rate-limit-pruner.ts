import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { rateLimitPolicies, secondsToFill } from './rate-limit-policies';
import { RateLimitStore } from './rate-limit.store';

/**
 * Keeps the bucket table bounded: one row per client address and account seen lately, not ever.
 * A bucket left alone long enough to fill up is deleted, which changes nothing (no row means
 * full). Every replica sweeps; a sweep that finds nothing to delete costs one indexed scan.
 */
@Injectable()
export class RateLimitPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitPruner.name);
  private timer?: NodeJS.Timeout;
  private readonly idleSeconds: number;

  constructor(
    private readonly store: RateLimitStore,
    @Inject(API_GATEWAY_CONFIG) private readonly config: ApiGatewayConfig,
  ) {
    this.idleSeconds = Math.max(...Object.values(rateLimitPolicies(config)).map(secondsToFill));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), this.config.RATE_LIMIT_PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async prune(): Promise<void> {
    try {
      const deleted = await this.store.pruneIdle(this.idleSeconds);
      if (deleted > 0) this.logger.debug(`pruned ${deleted} idle rate-limit buckets`);
    } catch (error) {
      this.logger.warn(`pruning idle rate-limit buckets failed: ${String(error)}`);
    }
  }
}
