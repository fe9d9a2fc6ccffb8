import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ShutdownState } from '@drone-delivery/service-defaults';

/**
 * `/health/live` and `/health/ready` as every service has them, except that readiness does not
 * depend on the database. The gateway's database only holds rate-limit state, and reads go on
 * without it (see RateLimiter): a readiness check on it would take every replica out of the load
 * balancer during a database outage, the very outage the gateway is built to ride out.
 */
@ApiExcludeController()
@Controller('health')
export class GatewayHealthController {
  constructor(private readonly shutdown: ShutdownState) {}

  /** `pid` says which process answered: a test harness checks it reached the one it started. */
  @Get('live')
  live(): { status: 'ok'; pid: number } {
    return { status: 'ok', pid: process.pid };
  }

  @Get('ready')
  ready(): { status: 'ok' } {
    if (this.shutdown.draining) throw new ServiceUnavailableException('shutting down');
    return { status: 'ok' };
  }
}
