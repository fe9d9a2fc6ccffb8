import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type Client, type KoaMiddlewareContext, Provider } from 'oidc-provider';
import { DataSource } from 'typeorm';
import { ClientsService } from '../clients/clients.service';
import { verifySecret } from '../common/secret-hash';
import { type IdentityConfig } from '../config/identity.config';
import { IDENTITY_CONFIG } from '../config/identity.config.token';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { UsersService } from '../users/users.service';
import { IDENTITY_MOUNT_PATH, INTERACTION_PATH } from './oidc.constants';
import { adapterFactory } from './postgres-adapter';
import { providerConfiguration } from './provider-configuration';

/** The oidc-provider instance, built once migrations have run and mounted at /identity. */
@Injectable()
export class IdentityProvider {
  private readonly logger = new Logger(IdentityProvider.name);
  private mounted?: Provider;

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly signingKeys: SigningKeysService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly dataSource: DataSource,
  ) {}

  get provider(): Provider {
    if (!this.mounted) throw new Error('the identity provider is not mounted yet');
    return this.mounted;
  }

  /**
   * Called before the app listens (startService's `beforeListen`): after migrations, since the
   * keys may live in the database, and before Nest's body parsers, which would otherwise read
   * the token requests before oidc-provider does.
   */
  async mount(app: NestExpressApplication): Promise<void> {
    const provider = new Provider(
      this.config.IDENTITY_ISSUER,
      providerConfiguration({
        config: this.config,
        signingKeys: await this.signingKeys.loadSigningKeys(),
        cookieKeys: this.cookieKeys(),
        adapter: adapterFactory(this.dataSource, this.clients),
        users: this.users,
      }),
    );
    // Behind the gateway: the scheme and host a client used come in X-Forwarded-* headers.
    provider.proxy = true;
    // Secrets are stored as scrypt hashes, never in clear; oidc-provider awaits this check.
    provider.Client.prototype.compareClientSecret = function (this: Client, actual: string) {
      return typeof this.clientSecret === 'string'
        ? verifySecret(actual, this.clientSecret)
        : false;
    };
    provider.use(labelRequestWithEndpoint(provider));
    provider.on('server_error', (_ctx, error) =>
      this.logger.error(`oidc-provider failed: ${error.message}`, error.stack),
    );

    const handle = provider.callback();
    // Identity's own pages are Nest routes under the same path; everything else is the provider's.
    app.use(
      IDENTITY_MOUNT_PATH,
      (request: IncomingMessage, response: ServerResponse, next: () => void) =>
        request.url?.startsWith(`${INTERACTION_PATH}/`) ? next() : handle(request, response),
    );
    this.mounted = provider;
  }

  private cookieKeys(): string[] {
    if (this.config.IDENTITY_COOKIE_KEYS) return this.config.IDENTITY_COOKIE_KEYS;
    this.logger.warn(
      'IDENTITY_COOKIE_KEYS is not set: using a key generated for this process, so sign-ins ' +
        'end when it restarts and do not carry over to other replicas',
    );
    return [randomBytes(32).toString('base64url')];
  }
}

/**
 * The metrics middleware labels a request with the Express route it matched; the provider's
 * requests match none, so each is given its endpoint's path (`/token`, `/auth/:uid`) to be
 * counted under `/identity/token` rather than as unmatched.
 */
function labelRequestWithEndpoint(provider: Provider) {
  return async (ctx: KoaMiddlewareContext, next: () => Promise<void>): Promise<void> => {
    try {
      await next();
    } finally {
      const endpoint = ctx.oidc?.route;
      if (endpoint) {
        const path = endpointPath(provider, endpoint, ctx.req.url ?? '/');
        (ctx.req as IncomingMessage & { route?: { path: string } }).route = { path };
      }
    }
  };
}

function endpointPath(provider: Provider, endpoint: string, requestUrl: string): string {
  try {
    // A route without parameters: the path requested is the route's own.
    provider.pathFor(endpoint, { mountPath: '' });
    return new URL(requestUrl, 'http://identity').pathname;
  } catch {
    // One with parameters (`/auth/:uid`): never the raw path, one series per sign-in.
    return decodeURIComponent(provider.pathFor(endpoint, { mountPath: '', uid: ':uid' }));
  }
}
