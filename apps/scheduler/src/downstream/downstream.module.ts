import { Module } from '@nestjs/common';
import {
  ACCOUNTS_SERVICE,
  DELIVERY_SERVICE,
  DRONE_MANAGEMENT_SERVICE,
  PACKAGE_SERVICE,
} from '@drone-delivery/contracts';
import { DownstreamClient, ServiceTokens } from '@drone-delivery/http';
import { downstreamPolicy, type SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_CONFIG } from '../config/scheduler.config.token';
import { AccountsClient } from './accounts.client';
import { AssignmentsClient } from './assignments.client';
import { DeliveriesClient } from './deliveries.client';
import { PackagesClient } from './packages.client';

/**
 * One DownstreamClient per downstream service, so each has its own circuit breaker and
 * concurrency limit: a failing drone-management must not stop calls to accounts.
 */
function downstream<T>(
  typedClient: new (http: DownstreamClient) => T,
  name: string,
  baseUrl: (config: SchedulerConfig) => string,
) {
  return {
    provide: typedClient,
    inject: [SCHEDULER_CONFIG, ServiceTokens],
    useFactory: (config: SchedulerConfig, tokens: ServiceTokens): T =>
      new typedClient(
        new DownstreamClient(
          { name, baseUrl: baseUrl(config), policy: downstreamPolicy(config) },
          tokens,
        ),
      ),
  };
}

const CLIENTS = [
  downstream(AccountsClient, ACCOUNTS_SERVICE, (config) => config.ACCOUNTS_URL),
  downstream(PackagesClient, PACKAGE_SERVICE, (config) => config.PACKAGE_URL),
  downstream(AssignmentsClient, DRONE_MANAGEMENT_SERVICE, (config) => config.DRONE_MANAGEMENT_URL),
  downstream(DeliveriesClient, DELIVERY_SERVICE, (config) => config.DELIVERY_URL),
];

@Module({
  providers: CLIENTS,
  exports: CLIENTS.map((client) => client.provide),
})
export class DownstreamModule {}
