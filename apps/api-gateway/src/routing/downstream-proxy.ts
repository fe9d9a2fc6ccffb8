import { Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { HttpStatus, Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import { CORRELATION_ID_HEADER, currentCorrelationId } from '@drone-delivery/http';
import { ProblemException } from '@drone-delivery/service-defaults';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { type PublicService } from './public-routes';
import { ServiceAddresses, ServiceNotFoundError } from './service-addresses';
import { serviceUrls } from './service-urls';

/** What Express adds to a request that the forwarding reads. */
export interface ForwardedRequest extends IncomingMessage {
  /** The client's address, after TRUST_PROXY_HOPS proxies (Express' `trust proxy`). */
  ip?: string;
  /** `http` or `https`, as the client used it. */
  protocol: string;
  /** The host (and port) the client asked for. */
  host?: string;
}

type Next = (error?: unknown) => void;

class DownstreamTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DownstreamTimeoutError';
  }
}

const IDLE_CONNECTION_MS = 30_000;

/** Errors the forwarding reports to the request's `next`, kept until the proxy's error event. */
const failures = new WeakMap<IncomingMessage, Next>();

/**
 * Forwards a call to one instance of a service and streams the answer back unchanged (status,
 * headers such as Location and Retry-After, body). Bodies are never read by the gateway; they
 * stream both ways. A service that cannot be reached is a 502 (503 when its name does not
 * resolve), one that goes quiet a 504, each a problem document with Retry-After: never a hang.
 */
@Injectable()
export class DownstreamProxy implements OnApplicationShutdown {
  private readonly logger = new Logger(DownstreamProxy.name);
  /**
   * Keep-alive connections, pooled per instance address (the target is an address, not a name).
   * Idle ones close after IDLE_CONNECTION_MS, well before the services do (KEEP_ALIVE_TIMEOUT_MS,
   * 65 s): a connection the service closes first may take a request on its way out, which then
   * fails as "socket hang up" (a 502). Without `timeout`, Node's agent never closes idle ones.
   */
  private readonly agent = new Agent({
    keepAlive: true,
    maxSockets: 256,
    timeout: IDLE_CONNECTION_MS,
  });
  private readonly proxies: Record<PublicService, RequestHandler<ForwardedRequest>>;

  constructor(
    private readonly addresses: ServiceAddresses,
    @Inject(API_GATEWAY_CONFIG) private readonly config: ApiGatewayConfig,
  ) {
    const urls = serviceUrls(config);
    const proxyOf = (service: PublicService) => this.createProxy(urls[service]);
    this.proxies = {
      scheduler: proxyOf('scheduler'),
      delivery: proxyOf('delivery'),
      'delivery-history': proxyOf('delivery-history'),
      'drone-management': proxyOf('drone-management'),
      identity: proxyOf('identity'),
    };
  }

  /** Forwards the call; a failure to reach the service goes to `next` as a problem. */
  async forward(
    service: PublicService,
    request: ForwardedRequest,
    response: ServerResponse,
    next: Next,
  ): Promise<void> {
    // The id this gateway logs under, so the service's log lines carry the same one.
    const correlationId = currentCorrelationId();
    if (correlationId) request.headers[CORRELATION_ID_HEADER] = correlationId;
    const fail: Next = (error) => {
      if (error === undefined) return next();
      if (response.headersSent) {
        // The answer had begun: it cannot become a problem document; cut it so the client knows.
        this.logger.warn(`${service} broke off its answer: ${describe(error)}`);
        response.destroy();
        return;
      }
      this.logger.debug(`forwarding to ${service} failed: ${describe(error)}`);
      next(this.problemFor(service, error));
    };
    failures.set(request, fail);
    await this.proxies[service](request, response, fail);
  }

  onApplicationShutdown(): void {
    this.agent.destroy();
  }

  private createProxy(baseUrl: string): RequestHandler<ForwardedRequest> {
    const serviceHost = new URL(baseUrl).host;
    return createProxyMiddleware<ForwardedRequest, ServerResponse>({
      router: async () => (await this.addresses.nextUrl(baseUrl)).toString().replace(/\/$/, ''),
      agent: this.agent,
      // X-Forwarded-* are written below, from what Express trusts (TRUST_PROXY_HOPS), never
      // copied from the client.
      xfwd: false,
      on: {
        proxyReq: (proxyRequest, request) => this.prepare(proxyRequest, request, serviceHost),
        error: (error, request) => failures.get(request)?.(error),
      },
    });
  }

  private prepare(proxyRequest: ClientRequest, request: ForwardedRequest, serviceHost: string) {
    const timeoutMs = this.config.DOWNSTREAM_TIMEOUT_MS;
    proxyRequest.setTimeout(timeoutMs, () =>
      proxyRequest.destroy(new DownstreamTimeoutError(timeoutMs)),
    );
    proxyRequest.setHeader('host', serviceHost);
    const peer = request.socket.remoteAddress ?? '';
    const chain = this.config.TRUST_PROXY_HOPS > 0 ? request.headers['x-forwarded-for'] : undefined;
    proxyRequest.setHeader('x-forwarded-for', chain ? `${String(chain)}, ${peer}` : peer);
    proxyRequest.setHeader('x-forwarded-proto', request.protocol);
    proxyRequest.setHeader('x-forwarded-host', request.host ?? request.headers.host ?? serviceHost);
    if (this.config.TRUST_PROXY_HOPS === 0) {
      proxyRequest.removeHeader('forwarded');
      proxyRequest.removeHeader('x-forwarded-port');
    }
  }

  private problemFor(service: PublicService, error: unknown): ProblemException {
    const retryAfter = { 'retry-after': String(this.config.RETRY_AFTER_SECONDS) };
    if (error instanceof DownstreamTimeoutError) {
      return new ProblemException(
        {
          type: 'https://drone-delivery.example/problems/downstream-timeout',
          title: 'A service took too long to answer',
          status: HttpStatus.GATEWAY_TIMEOUT,
          detail: `The ${service} service did not answer in time. Please try again shortly.`,
        },
        retryAfter,
      );
    }
    const unresolved = error instanceof ServiceNotFoundError;
    return new ProblemException(
      {
        type: 'https://drone-delivery.example/problems/downstream-unavailable',
        title: 'A service is unavailable',
        status: unresolved ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY,
        detail: `The ${service} service cannot be reached right now. Please try again shortly.`,
      },
      retryAfter,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}
