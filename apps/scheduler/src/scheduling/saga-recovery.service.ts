import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_CONFIG } from '../config/scheduler.config.token';
import { SagaLogRepository, type SagaLease } from './saga-log.repository';
import { ScheduleDeliverySaga } from './schedule-delivery.saga';

/**
 * Finishes sagas nobody is running any more: their runner crashed (the lease lapsed), or left
 * an undo for later because a service was down. Runs at start-up and then every
 * SAGA_RECOVERY_INTERVAL_MS. A pending saga is re-run from its first step (every step is
 * idempotent under its fixed ids) and compensated if a step fails; a compensating one is
 * compensated. Replicas sweep concurrently; the claim makes sure each saga has one runner.
 */
@Injectable()
export class SagaRecoveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SagaRecoveryService.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly log: SagaLogRepository,
    private readonly saga: ScheduleDeliverySaga,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduleSweep(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
  }

  /** One sweep: claims a batch of abandoned sagas and finishes them. Returns how many. */
  async sweep(): Promise<number> {
    const leases = await this.log.claimAbandoned(
      randomUUID(),
      this.config.SAGA_RECOVERY_BATCH_SIZE,
    );
    if (leases.length > 0) this.logger.log(`recovering ${leases.length} unfinished saga(s)`);
    await Promise.allSettled(leases.map((lease) => this.finish(lease)));
    return leases.length;
  }

  private async finish(lease: SagaLease): Promise<void> {
    const { saga } = lease;
    try {
      const finished =
        saga.state === 'pending'
          ? await this.saga.run(lease)
          : await this.saga.finishCompensation(lease);
      this.logger.log(`saga ${saga.requestId} recovered: now ${finished.state}`);
    } catch (error) {
      this.logger.warn(
        `saga ${saga.requestId} not recovered yet: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  // A timeout chain rather than setInterval: a slow sweep never overlaps the next one.
  private scheduleSweep(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.logger.warn(
            `recovery sweep failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        })
        .finally(() => {
          this.sweeping = undefined;
          this.scheduleSweep(this.config.SAGA_RECOVERY_INTERVAL_MS);
        });
    }, delayMs);
  }
}
