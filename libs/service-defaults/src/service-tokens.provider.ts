import { type Provider } from '@nestjs/common';
import { ServiceTokens } from '@drone-delivery/http';
import { type ServiceWithTokensConfig } from './service-config';

/**
 * The ServiceTokens of a service, checked at start-up for what its role needs: a service that
 * calls internal routes must have its signing key, one that serves them the keys of its callers.
 * Demo keys are refused unless DEMO_MODE is on.
 */
export function serviceTokensProvider(
  serviceName: string,
  config: ServiceWithTokensConfig,
  role: { calls?: boolean; serves?: boolean },
): Provider {
  return {
    provide: ServiceTokens,
    useFactory: () => {
      if (role.calls && !config.SERVICE_TOKEN_SIGNING_KEY) {
        throw new Error(
          `${serviceName} calls internal routes: SERVICE_TOKEN_SIGNING_KEY (its private JWK) is required`,
        );
      }
      if (role.serves && !config.SERVICE_TOKEN_TRUSTED_KEYS) {
        throw new Error(
          `${serviceName} serves internal routes: SERVICE_TOKEN_TRUSTED_KEYS (its callers' JWKS) is required`,
        );
      }
      return ServiceTokens.create({
        serviceName,
        signingKey: role.calls ? config.SERVICE_TOKEN_SIGNING_KEY : undefined,
        trustedKeys: role.serves ? config.SERVICE_TOKEN_TRUSTED_KEYS : undefined,
        demoMode: config.DEMO_MODE,
      });
    },
  };
}
