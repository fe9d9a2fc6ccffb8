import { Module } from '@nestjs/common';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { DownstreamProxy } from './downstream-proxy';
import { resolverWithOverrides, ServiceAddresses } from './service-addresses';

/** Where each call goes: the service's instances, in turn, and the forwarding itself. */
@Module({
  providers: [
    {
      provide: ServiceAddresses,
      inject: [API_GATEWAY_CONFIG],
      useFactory: (config: ApiGatewayConfig) =>
        new ServiceAddresses({
          resolve: resolverWithOverrides(config.SERVICE_ADDRESSES_OVERRIDE),
          cacheMs: config.DNS_CACHE_MS,
        }),
    },
    DownstreamProxy,
  ],
  exports: [ServiceAddresses, DownstreamProxy],
})
export class RoutingModule {}
