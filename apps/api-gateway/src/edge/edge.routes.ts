import { type ServerResponse } from 'node:http';
import { HttpStatus, Injectable } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { currentCorrelationId } from '@drone-delivery/http';
import { ProblemException } from '@drone-delivery/service-defaults';
import { RateLimiter } from '../rate-limits/rate-limiter';
import { DownstreamProxy, type ForwardedRequest } from '../routing/downstream-proxy';
import {
  allowedMethodsByPath,
  IDENTITY_PATH,
  isWrite,
  PUBLIC_ROUTES,
  type PublicRoute,
} from '../routing/public-routes';
import { FleetSnapshotGatherer } from '../fleet/fleet-snapshot.gatherer';
import { OPERATIONS_PATHS } from '../operations/operations.openapi';
import { OperationsService } from '../operations/operations.service';
import { EdgeAuthentication } from './edge-authentication';

const FLEET_PATH = '/api/v1/fleet';

/** What Express' router adds: the route's parameters, decoded. */
interface RoutedRequest extends ForwardedRequest {
  params: Record<string, string>;
}

type Next = (error?: unknown) => void;
type Handler = (request: ForwardedRequest, response: ServerResponse, next: Next) => Promise<void>;
/** How Express (through Nest's adapter) calls a handler; it always passes `next`. */
type ExpressHandler = (
  request: ForwardedRequest,
  response: ServerResponse,
  next?: unknown,
) => unknown;

const express =
  (handler: Handler): ExpressHandler =>
  (request, response, next) =>
    handler(request, response, next as Next);

/**
 * The gateway's own routes, in the order a call meets them: the public API (token, rate limits,
 * forward), 405 for a known path with another method, 404 for the rest of /api, and the issuer
 * under /identity. Plain Express routes, not Nest controllers, so request bodies are never read:
 * they stream to the service. Errors are thrown as problems and leave through the app's
 * ProblemDetailsFilter like any service's.
 */
@Injectable()
export class EdgeRoutes {
  constructor(
    private readonly authentication: EdgeAuthentication,
    private readonly rateLimiter: RateLimiter,
    private readonly proxy: DownstreamProxy,
    private readonly fleet: FleetSnapshotGatherer,
    private readonly operations: OperationsService,
  ) {}

  mount(app: NestExpressApplication): void {
    const http = app.getHttpAdapter();
    // The gateway's own answer, not a forwarded one: publish/async responses on Kafka.
    http.get(
      FLEET_PATH,
      express((request, response) => this.fleetSnapshot(request, response)),
    );
    http.all(FLEET_PATH, (request: ForwardedRequest, response: ServerResponse) =>
      this.methodNotAllowed(['GET'], request, response),
    );
    this.mountOperations(app);
    for (const route of PUBLIC_ROUTES) {
      const handler = express((request, response, next) =>
        this.forwardPublic(route, request, response, next),
      );
      switch (route.method) {
        case 'GET':
          http.get(route.path, handler);
          break;
        case 'POST':
          http.post(route.path, handler);
          break;
        case 'PATCH':
          http.patch(route.path, handler);
          break;
        case 'DELETE':
          http.delete(route.path, handler);
          break;
      }
    }
    for (const [path, methods] of allowedMethodsByPath(PUBLIC_ROUTES)) {
      http.all(path, (request: ForwardedRequest, response: ServerResponse) =>
        this.methodNotAllowed(methods, request, response),
      );
    }
    http.all('/api{/*rest}', (request: ForwardedRequest, response: ServerResponse) =>
      this.notFound(request, response),
    );
    http.all(
      IDENTITY_PATH,
      express((request, response, next) => this.forwardToIdentity(request, response, next)),
    );
  }

  /** Rate limits per client address only: for routes outside the public API (the docs). */
  limitClientAddress(): ExpressHandler {
    return express(async (request, response, next) => {
      await this.rateLimiter.admit({ clientIp: clientIp(request), write: false }, response);
      next();
    });
  }

  private async forwardPublic(
    route: PublicRoute,
    request: ForwardedRequest,
    response: ServerResponse,
    next: Next,
  ): Promise<void> {
    const authentication = await this.authentication.authenticate(request.headers.authorization);
    const caller = 'caller' in authentication ? authentication.caller : undefined;
    // Charged before the token is refused, so a flood of bad tokens meets the address limit too.
    await this.rateLimiter.admit(
      { clientIp: clientIp(request), caller, write: caller !== undefined && isWrite(route.method) },
      response,
    );
    if ('rejection' in authentication) {
      throw this.authentication.rejectionOf(authentication.rejection, response);
    }
    await this.proxy.forward(route.service, request, response, next);
  }

  /**
   * The operators' views, the gateway's own answers like the fleet's: reads under the read
   * limits, the redrive (a change) under the write limits.
   */
  private mountOperations(app: NestExpressApplication): void {
    const http = app.getHttpAdapter();
    const routes: [string, 'GET' | 'POST', (request: RoutedRequest) => Promise<unknown>][] = [
      [OPERATIONS_PATHS.services, 'GET', () => this.operations.services()],
      [OPERATIONS_PATHS.messaging, 'GET', () => this.operations.messaging()],
      [
        OPERATIONS_PATHS.deadLetters,
        'GET',
        (request) =>
          this.operations.deadLetterPage(
            request.params.topic,
            new URL(request.url ?? '/', 'http://gateway').searchParams.get('limit'),
          ),
      ],
      [
        OPERATIONS_PATHS.redrive,
        'POST',
        (request) => this.operations.redrive(request.params.topic),
      ],
    ];
    for (const [path, method, answer] of routes) {
      const handler = express(async (request, response) => {
        await this.admitOperator(
          request,
          response,
          isWrite(method),
          'Only operators may use the operations routes.',
        );
        respondJson(response, await answer(request as RoutedRequest));
      });
      if (method === 'GET') http.get(path, handler);
      else http.post(path, handler);
      http.all(path, (request: ForwardedRequest, response: ServerResponse) =>
        this.methodNotAllowed([method], request, response),
      );
    }
  }

  /** `GET /api/v1/fleet`, operators only: what every drone-management instance flies. */
  private async fleetSnapshot(request: ForwardedRequest, response: ServerResponse): Promise<void> {
    await this.admitOperator(request, response, false, 'Only operators may see the whole fleet.');
    respondJson(response, await this.fleet.gather(currentCorrelationId()));
  }

  /** Token, rate limits, then the operator scope: 401, 429 or 403 problems otherwise. */
  private async admitOperator(
    request: ForwardedRequest,
    response: ServerResponse,
    write: boolean,
    forbidden: string,
  ): Promise<void> {
    const authentication = await this.authentication.authenticate(request.headers.authorization);
    const caller = 'caller' in authentication ? authentication.caller : undefined;
    await this.rateLimiter.admit(
      { clientIp: clientIp(request), caller, write: caller !== undefined && write },
      response,
    );
    if ('rejection' in authentication) {
      throw this.authentication.rejectionOf(authentication.rejection, response);
    }
    if (!authentication.caller.operator) {
      throw new ProblemException({
        type: 'about:blank',
        title: 'Forbidden',
        status: HttpStatus.FORBIDDEN,
        detail: forbidden,
      });
    }
  }

  private async forwardToIdentity(
    request: ForwardedRequest,
    response: ServerResponse,
    next: Next,
  ): Promise<void> {
    await this.rateLimiter.admit({ clientIp: clientIp(request), write: false }, response);
    await this.proxy.forward('identity', request, response, next);
  }

  private async methodNotAllowed(
    methods: string[],
    request: ForwardedRequest,
    response: ServerResponse,
  ): Promise<void> {
    await this.rateLimiter.admit({ clientIp: clientIp(request), write: false }, response);
    const allow = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    throw new ProblemException(
      {
        type: 'about:blank',
        title: 'Method not allowed',
        status: HttpStatus.METHOD_NOT_ALLOWED,
        detail: `${request.method} is not supported here; this path answers ${allow.join(', ')}.`,
      },
      { allow: allow.join(', ') },
    );
  }

  private async notFound(request: ForwardedRequest, response: ServerResponse): Promise<void> {
    await this.rateLimiter.admit({ clientIp: clientIp(request), write: false }, response);
    throw new ProblemException({
      type: 'about:blank',
      title: 'Not found',
      status: HttpStatus.NOT_FOUND,
      detail: `There is no ${request.method} ${request.url?.split('?')[0]} in this API.`,
    });
  }
}

function respondJson(response: ServerResponse, body: unknown): void {
  response.writeHead(HttpStatus.OK, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The client's address, as Express sees it after TRUST_PROXY_HOPS: what IP limits count. */
export function clientIp(request: ForwardedRequest): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
