import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { type PublicService } from './public-routes';

/** Each service's base URL, by name: `http://scheduler:3001`. */
export function serviceUrls(config: ApiGatewayConfig): Record<PublicService, string> {
  return {
    scheduler: config.SCHEDULER_URL,
    delivery: config.DELIVERY_URL,
    'delivery-history': config.DELIVERY_HISTORY_URL,
    'drone-management': config.DRONE_MANAGEMENT_URL,
    identity: config.IDENTITY_URL,
  };
}
