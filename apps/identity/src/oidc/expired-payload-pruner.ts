import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type IdentityConfig } from '../config/identity.config';
import { IDENTITY_CONFIG } from '../config/identity.config.token';

/**
 * Deletes the sessions, interactions and codes that have expired. The adapter already ignores
 * them, so this only keeps the table small; replicas pruning at once do no harm.
 */
@Injectable()
export class ExpiredPayloadPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiredPayloadPruner.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.pruneExpired(),
      this.config.IDENTITY_PRUNE_INTERVAL_SECONDS * 1_000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async pruneExpired(): Promise<void> {
    try {
      await this.dataSource.query('DELETE FROM oidc_payloads WHERE expires_at <= now()');
    } catch (error) {
      // Next round will try again; a missed round only leaves dead rows a little longer.
      this.logger.warn(`Could not prune expired records: ${(error as Error).message}`);
    }
  }
}
