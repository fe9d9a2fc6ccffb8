import { Inject, Injectable, Logger } from '@nestjs/common';
import { type OpenAPIObject } from '@nestjs/swagger';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { DOCUMENTED_SERVICES, type PublicService } from '../routing/public-routes';
import { ServiceAddresses } from '../routing/service-addresses';
import { serviceUrls } from '../routing/service-urls';
import { OPERATIONS_OPENAPI } from '../operations/operations.openapi';
import { mergePublicDocuments, type ServiceDocument } from './openapi-merge';

/** Where every service built with the service defaults serves its OpenAPI document. */
const OPENAPI_JSON_PATH = '/docs-json';
const FETCH_TIMEOUT_MS = 2_000;

/**
 * The OpenAPI document of the public API as the gateway serves it, merged from the services'
 * own and, once complete, kept for
 * DOCS_CACHE_MS. A service that does not answer is left out (and named in the
 * document), so the docs never fail because one service is down.
 */
@Injectable()
export class PublicDocs {
  private readonly logger = new Logger(PublicDocs.name);
  private cached?: { document: OpenAPIObject; builtAt: number };
  private building?: Promise<OpenAPIObject>;

  constructor(
    private readonly addresses: ServiceAddresses,
    @Inject(API_GATEWAY_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  async document(): Promise<OpenAPIObject> {
    if (this.cached && Date.now() - this.cached.builtAt < this.config.DOCS_CACHE_MS) {
      return this.cached.document;
    }
    this.building ??= this.build().finally(() => (this.building = undefined));
    return this.building;
  }

  private async build(): Promise<OpenAPIObject> {
    const documents = await Promise.all(
      DOCUMENTED_SERVICES.map((service) => this.fetchDocument(service)),
    );
    // The gateway's own routes first: a service's schema of the same name is then renamed.
    const document = mergePublicDocuments([
      { service: 'api-gateway', document: OPERATIONS_OPENAPI },
      ...documents,
    ]);
    // Only a complete document is kept: a service that was down is asked again next time.
    if (documents.every((entry) => entry.document !== null)) {
      this.cached = { document, builtAt: Date.now() };
    }
    return document;
  }

  private async fetchDocument(service: PublicService): Promise<ServiceDocument> {
    try {
      const url = new URL(
        OPENAPI_JSON_PATH,
        await this.addresses.nextUrl(serviceUrls(this.config)[service]),
      );
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      return { service, document: (await response.json()) as OpenAPIObject };
    } catch (error) {
      this.logger.warn(`The OpenAPI document of ${service} is left out: ${String(error)}`);
      return { service, document: null };
    }
  }
}
