import { Inject, Injectable } from '@nestjs/common';
import { type ServiceStatus } from '@drone-delivery/contracts';
import { parseMetricSamples, renderMetrics } from '@drone-delivery/observability';
import { API_GATEWAY_SERVICE } from '../api-gateway.service';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { ServiceAddresses } from '../routing/service-addresses';
import { type InstanceProbe, type ServiceProbe } from './operations-views';
import { probedServiceUrls } from './probed-services';

/**
 * Asks every instance of every service what every service already tells anyone who asks:
 * `/health/ready` and `/metrics` (Prometheus text, parsed as a scraper would). No new internal
 * route: circuit breakers and consumer lag are metrics already. Each call is bounded by
 * OPERATIONS_PROBE_TIMEOUT_MS, so a service that hangs shows as unreachable, not as a slow page.
 */
@Injectable()
export class ServiceProbes {
  constructor(
    private readonly addresses: ServiceAddresses,
    @Inject(API_GATEWAY_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  /** The gateway itself first (this instance, read in process), then the others by name. */
  async probeAll(): Promise<ServiceProbe[]> {
    const others = Object.entries(probedServiceUrls(this.config)).sort(([a], [b]) =>
      a.localeCompare(b),
    );
    return Promise.all([
      this.probeSelf(),
      ...others.map(([service, baseUrl]) => this.probeService(service, baseUrl)),
    ]);
  }

  private async probeSelf(): Promise<ServiceProbe> {
    return {
      service: API_GATEWAY_SERVICE,
      instances: [
        {
          address: this.config.INSTANCE_ID,
          // It is answering this very request.
          status: 'ready',
          samples: parseMetricSamples(await renderMetrics()),
        },
      ],
    };
  }

  private async probeService(service: string, baseUrl: string): Promise<ServiceProbe> {
    let instances: URL[];
    try {
      instances = await this.addresses.allUrls(baseUrl);
    } catch {
      // Its name does not resolve: no instance runs (or it is not deployed here).
      return {
        service,
        instances: [{ address: new URL(baseUrl).host, status: 'unreachable', samples: [] }],
      };
    }
    return { service, instances: await Promise.all(instances.map((url) => this.probe(url))) };
  }

  private async probe(instance: URL): Promise<InstanceProbe> {
    const [ready, metrics] = await Promise.all([
      this.get(new URL('/health/ready', instance)),
      this.get(new URL('/metrics', instance)),
    ]);
    const status: ServiceStatus =
      ready === undefined ? 'unreachable' : ready.ok ? 'ready' : 'not-ready';
    return {
      address: instance.host,
      status,
      samples: metrics?.ok ? parseMetricSamples(metrics.text) : [],
    };
  }

  /** The answer, or undefined when there was none in time. */
  private async get(url: URL): Promise<{ ok: boolean; text: string } | undefined> {
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(this.config.OPERATIONS_PROBE_TIMEOUT_MS),
      });
      return { ok: response.ok, text: await response.text() };
    } catch {
      return undefined;
    }
  }
}
