// oidc-provider ships no TypeScript types (and @types/oidc-provider pulls in @types/express,
// which breaks the other projects' typecheck): this declares the part of its API identity uses.
declare module 'oidc-provider' {
  import { type IncomingMessage, type ServerResponse } from 'node:http';

  /** One stored record of a model (Session, Interaction, AuthorizationCode, Grant...). */
  export interface AdapterPayload {
    [claim: string]: unknown;
    grantId?: string;
    uid?: string;
    userCode?: string;
    /** Set by `consume`; a consumed code is refused if presented again. */
    consumed?: unknown;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  /** A registered client, its metadata camel-cased; extra metadata keeps its own name. */
  export interface Client {
    [metadata: string]: unknown;
    clientId: string;
    clientSecret?: string;
    clientAuthMethod: string;
    redirectUris: string[];
    scope?: string;
    compareClientSecret(actual: string): boolean | Promise<boolean>;
    grantTypeAllowed(grantType: string): boolean;
  }

  export interface OIDCContext {
    route: string;
    params: Record<string, unknown>;
    client?: Client;
  }

  /** The Koa context oidc-provider passes to its configuration functions. */
  export interface KoaContextWithOIDC {
    oidc: OIDCContext;
    type: string;
    body: unknown;
    status: number;
    host: string;
  }

  /** What a middleware added with `provider.use` sees: `oidc` only once a route matched. */
  export interface KoaMiddlewareContext {
    oidc?: { route: string };
    req: IncomingMessage;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** An access token (or client credentials token) being issued. */
  export interface IssuedToken {
    kind: string;
    accountId?: string;
    clientId?: string;
    scope?: string;
  }

  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg: string; kid?: string } };
  }

  export interface ErrorOut {
    error: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface Configuration {
    adapter?: (modelName: string) => Adapter;
    claims?: Record<string, string[]>;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    clientDefaults?: Record<string, unknown>;
    conformIdTokenClaims?: boolean;
    cookies?: { keys?: string[] };
    extraClientMetadata?: { properties?: string[] };
    extraTokenClaims?: (
      ctx: KoaContextWithOIDC,
      token: IssuedToken,
    ) => Promise<Record<string, unknown> | undefined>;
    features?: {
      devInteractions?: { enabled: boolean };
      clientCredentials?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (
          ctx: KoaContextWithOIDC,
          client: Client,
          oneOf?: string[],
        ) => Promise<string | string[] | undefined>;
        getResourceServerInfo?: (
          ctx: KoaContextWithOIDC,
          resourceIndicator: string,
          client: Client,
        ) => Promise<ResourceServerInfo>;
        useGrantedResource?: (ctx: KoaContextWithOIDC, model: unknown) => Promise<boolean>;
      };
      rpInitiatedLogout?: {
        enabled: boolean;
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => Promise<void>;
        postLogoutSuccessSource?: (ctx: KoaContextWithOIDC) => Promise<void>;
      };
    };
    findAccount?: (ctx: KoaContextWithOIDC, sub: string) => Promise<Account | undefined>;
    interactions?: { url?: (ctx: KoaContextWithOIDC, interaction: { uid: string }) => string };
    jwks?: { keys: object[] };
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    issueRefreshToken?: (
      ctx: KoaContextWithOIDC,
      client: Client,
      code: unknown,
    ) => Promise<boolean>;
    responseTypes?: string[];
    renderError?: (ctx: KoaContextWithOIDC, out: ErrorOut, error: Error) => Promise<void>;
    scopes?: string[];
    ttl?: Record<string, number>;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: {
      /** `login` or `consent` with the default policy. */
      name: string;
      reasons: string[];
      details: {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
    };
    params: Record<string, unknown>;
    session?: { accountId: string; uid: string };
    grantId?: string;
  }

  export type InteractionResults =
    | { login: { accountId: string } }
    | { consent: { grantId: string } }
    | { error: string; error_description?: string };

  export interface Grant {
    addOIDCScope(scope: string): void;
    rejectOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    /** Trust X-Forwarded-Proto and X-Forwarded-Host (behind the gateway). */
    proxy: boolean;
    readonly issuer: string;
    readonly Client: { prototype: Client; find(id: string): Promise<Client | undefined> };
    readonly Grant: GrantConstructor;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    interactionDetails(
      request: IncomingMessage,
      response: ServerResponse,
    ): Promise<InteractionDetails>;
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    use(middleware: (ctx: KoaMiddlewareContext, next: () => Promise<void>) => Promise<void>): this;
    /** The path of a named route (`token` → `/token`), route parameters filled from `params`. */
    pathFor(name: string, params?: Record<string, string>): string;
    on(event: 'server_error', listener: (ctx: KoaContextWithOIDC, error: Error) => void): this;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      error: string;
      error_description?: string;
      statusCode: number;
    }
    class InvalidTarget extends OIDCProviderError {
      constructor(description?: string);
    }
    class SessionNotFound extends OIDCProviderError {}
  }
}
