import {
  Controller,
  Get,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { flushTracing } from '@drone-delivery/observability/tracing';

/**
 * Flipped when shutdown begins, so load balancers stop sending traffic while work drains. Last,
 * once consumers and relays have stopped, the spans still buffered are exported.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown, OnApplicationShutdown {
  draining = false;

  beforeApplicationShutdown(): void {
    this.draining = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}

/**
 * `/health/live`: the process is up (restart it if not). `/health/ready`: it can take traffic
 * now: its database answers and it is not shutting down.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  /** `pid` says which process answered: a test harness checks it reached the one it started. */
  @Get('live')
  live(): { status: 'ok'; pid: number } {
    return { status: 'ok', pid: process.pid };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.shutdown.draining) throw new ServiceUnavailableException('shutting down');
    return this.health.check([() => this.database.pingCheck('database', { timeout: 1_500 })]);
  }
}
