import {
  type Adapter,
  type Client,
  type Configuration,
  errors,
  type KoaContextWithOIDC,
  type ResourceServerInfo,
} from 'oidc-provider';
import { ACCOUNT_ID_CLAIM, CUSTOMER_SCOPE, OPERATOR_SCOPE } from '@drone-delivery/http';
import { type IdentityConfig } from '../config/identity.config';
import { messagePage, signOutPage } from '../pages/identity-pages';
import { type SigningJwk } from '../signing-keys/signing-jwk';
import { type UsersService } from '../users/users.service';
import { ACCOUNT_ID_METADATA, IDENTITY_MOUNT_PATH, INTERACTION_PATH } from './oidc.constants';

export interface ProviderDependencies {
  config: IdentityConfig;
  /** Private keys; the first signs. */
  signingKeys: SigningJwk[];
  cookieKeys: string[];
  adapter: (model: string) => Adapter;
  users: UsersService;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * How identity configures oidc-provider: client credentials for API clients, authorization
 * code + PKCE for people, and one resource (the public API) whose access tokens are RFC 9068
 * JWTs for the gateway's audience, signed with the first signing key.
 */
export function providerConfiguration(deps: ProviderDependencies): Configuration {
  const { config, users } = deps;
  const signer = deps.signingKeys[0];
  const api: ResourceServerInfo = {
    scope: `${CUSTOMER_SCOPE} ${OPERATOR_SCOPE}`,
    audience: config.API_AUDIENCE,
    accessTokenTTL: config.ACCESS_TOKEN_TTL_SECONDS,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: signer.alg, kid: signer.kid } },
  };

  return {
    adapter: deps.adapter,
    jwks: { keys: deps.signingKeys },
    cookies: { keys: deps.cookieKeys },
    // The API scopes are listed with the OpenID ones because oidc-provider checks only these
    // against a client's registered `scope`: a customer client asking for operator is refused.
    scopes: ['openid', 'email', CUSTOMER_SCOPE, OPERATOR_SCOPE],
    claims: { openid: ['sub'], email: ['email'] },
    // The dashboard has no userinfo call to make (its access token is for the API), so the
    // ID token carries the claims itself.
    conformIdTokenClaims: false,
    clientDefaults: { id_token_signed_response_alg: signer.alg },
    // Only the code flow: no tokens in the browser's address bar (implicit, hybrid).
    responseTypes: ['code'],
    extraClientMetadata: { properties: [ACCOUNT_ID_METADATA] },

    async findAccount(_ctx, sub) {
      const user = await users.findUser(sub);
      return user
        ? { accountId: user.id, claims: () => ({ sub: user.id, email: user.email }) }
        : undefined;
    },

    /** `account_id`: the account a customer acts for, from the user or the API client. */
    async extraTokenClaims(ctx, token) {
      if (token.accountId) {
        const user = await users.findUser(token.accountId);
        return user?.accountId ? { [ACCOUNT_ID_CLAIM]: user.accountId } : undefined;
      }
      const accountId = ctx.oidc.client?.[ACCOUNT_ID_METADATA];
      return typeof accountId === 'string' ? { [ACCOUNT_ID_CLAIM]: accountId } : undefined;
    },

    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Clients need not name the API (RFC 8707 `resource`): it is the only one.
        defaultResource: () => Promise.resolve(config.API_RESOURCE),
        getResourceServerInfo: (ctx, resourceIndicator, client) => {
          if (resourceIndicator !== config.API_RESOURCE) {
            return Promise.reject(
              new errors.InvalidTarget(`unknown resource ${resourceIndicator}`),
            );
          }
          grantClientItsOwnScope(ctx, client);
          return Promise.resolve(api);
        },
        // A code for the dashboard yields an access token for the API, even with `openid`.
        useGrantedResource: () => Promise.resolve(true),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => renderHtml(ctx, signOutPage(form)),
        postLogoutSuccessSource: (ctx) =>
          renderHtml(ctx, messagePage('Signed out', 'You are signed out of Drone Delivery.')),
      },
    },

    interactions: {
      url: (_ctx, interaction) => `${IDENTITY_MOUNT_PATH}${INTERACTION_PATH}/${interaction.uid}`,
    },
    // PKCE (S256) on every authorization code, public client or not.
    pkce: { required: () => true },
    // A client allowed the refresh_token grant (the dashboard) gets one with its code, without
    // asking for `offline_access`: it renews access tokens while the person uses the page, for
    // the session's length at most. Public clients' refresh tokens rotate at each use.
    issueRefreshToken: (_ctx, client) => Promise.resolve(client.grantTypeAllowed('refresh_token')),
    // A browser app on another origin may call the token endpoint for its own redirect origins.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === 'none' &&
      client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin),
    renderError: (ctx, out) =>
      renderHtml(
        ctx,
        messagePage(
          'Something went wrong',
          `${(out.error_description ?? out.error).replace(/\.$/, '')}. ` +
            'Go back to the application and try again.',
        ),
      ),

    ttl: {
      AccessToken: config.ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: config.ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: MINUTE,
      IdToken: HOUR,
      Interaction: 10 * MINUTE,
      Session: 8 * HOUR,
      RefreshToken: 8 * HOUR,
      Grant: 14 * 24 * HOUR,
    },
  };
}

/**
 * OAuth gives the client credentials grant no default scope; identity's default is the
 * client's registered one, so an API client need not know whether it is a customer or an
 * operator. It is set here because this is the one hook oidc-provider calls, for that grant,
 * after reading the request and before checking the scope against the client's.
 */
function grantClientItsOwnScope(ctx: KoaContextWithOIDC, client: Client): void {
  const { route, params } = ctx.oidc;
  if (route === 'token' && params.grant_type === 'client_credentials' && !params.scope) {
    params.scope = client.scope;
  }
}

function renderHtml(ctx: KoaContextWithOIDC, html: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = html;
  return Promise.resolve();
}
