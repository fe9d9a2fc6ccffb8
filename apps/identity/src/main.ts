// First: tracing must be running before anything else loads.
import './instrumentation';
import { exitOnStartFailure, startService } from '@drone-delivery/service-defaults';
import { AppModule, IDENTITY_SERVICE } from './app.module';
import { loadIdentityConfig } from './config/identity.config';
import { IdentityProvider } from './oidc/identity-provider';

async function main(): Promise<void> {
  const config = loadIdentityConfig();
  await startService(AppModule.register(config), {
    serviceName: IDENTITY_SERVICE,
    description:
      'Identity: the OAuth 2.0 / OpenID Connect issuer (oidc-provider) at /identity. Client ' +
      'credentials for API clients, authorization code + PKCE for people, JWT access tokens ' +
      'for the public API, its keys at /identity/jwks.',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    beforeListen: (app) => app.get(IdentityProvider).mount(app),
  });
}

main().catch(exitOnStartFailure);
