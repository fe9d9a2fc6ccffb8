import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { serviceUrls } from '../routing/service-urls';

/**
 * Every service behind the gateway, by name, with its base URL: what the operators' page asks
 * for health and metrics, including those no public call reaches.
 */
export function probedServiceUrls(config: ApiGatewayConfig): Record<string, string> {
  return {
    ...serviceUrls(config),
    accounts: config.ACCOUNTS_URL,
    package: config.PACKAGE_URL,
  };
}
