import { type ServerResponse } from 'node:http';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { ProblemException } from '@drone-delivery/service-defaults';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { clientIp } from '../edge/edge.routes';
import { RateLimiter } from '../rate-limits/rate-limiter';
import { type ForwardedRequest } from '../routing/downstream-proxy';
import {
  cacheControlOf,
  DASHBOARD_CONTENT_SECURITY_POLICY,
  dashboardFileOf,
  INDEX_FILE,
  isGatewayPath,
  wantsPage,
} from './dashboard-paths';

/** What `send` (behind Express' `res.sendFile`) reports when it sends nothing. */
interface SendError extends Error {
  code?: string;
  status?: number;
  statusCode?: number;
}

/** Express' response, with the one method used here (the gateway has no @types/express). */
interface ExpressResponse extends ServerResponse {
  sendFile(
    path: string,
    options: {
      root: string;
      dotfiles: 'ignore';
      cacheControl: boolean;
      headers: Record<string, string>;
    },
    done: (error?: SendError) => void,
  ): void;
}

type Next = (error?: unknown) => void;

const MISSING_FILE_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

/**
 * Serves the dashboard's built files at `/`, after every route of the gateway: GET and HEAD
 * only, never a path of the gateway's own (isGatewayPath), each client address rate-limited as
 * for the docs. Files go out through Express' `res.sendFile` (the `send` package): content type
 * from the file name, ETag and Last-Modified with 304s, ranges, HEAD without a body, and a root
 * it never reads outside of. A path that names no file is a client-side route when a page is
 * wanted, answered with index.html; otherwise a 404 problem.
 */
@Injectable()
export class DashboardSite {
  constructor(
    private readonly rateLimiter: RateLimiter,
    @Inject(API_GATEWAY_CONFIG) private readonly config: ApiGatewayConfig,
  ) {}

  /** Call last: what this passes on (`next`) reaches Nest's controllers and its 404. */
  mount(app: NestExpressApplication): void {
    app.use((request: ForwardedRequest, response: ExpressResponse, next: Next) =>
      this.serve(request, response, next),
    );
  }

  private async serve(
    request: ForwardedRequest,
    response: ExpressResponse,
    next: Next,
  ): Promise<void> {
    const pathname = (request.url ?? '/').split('?')[0];
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isGatewayPath(pathname)) {
      return next();
    }
    await this.rateLimiter.admit({ clientIp: clientIp(request), write: false }, response);
    const file = dashboardFileOf(pathname);
    if (file === undefined) throw notFound(pathname);
    if (await this.sendFile(file, response)) return;
    if (file !== INDEX_FILE && !wantsPage(request.headers.accept, file)) throw notFound(pathname);
    if (await this.sendFile(INDEX_FILE, response)) return;
    throw new ProblemException({
      type: 'https://drone-delivery.example/problems/dashboard-not-built',
      title: 'The dashboard is not built',
      status: HttpStatus.NOT_FOUND,
      detail: 'the dashboard is not built: npm run build:dashboard',
    });
  }

  /** Sends `file` of the dashboard; false when there is no such file (nothing was sent). */
  private sendFile(file: string, response: ExpressResponse): Promise<boolean> {
    return new Promise((resolve, reject) => {
      response.sendFile(
        file,
        {
          root: this.config.DASHBOARD_DIR,
          dotfiles: 'ignore',
          // Set below, per file: send's own would be `public, max-age=0` for every file.
          cacheControl: false,
          headers: {
            'cache-control': cacheControlOf(file),
            'content-security-policy': DASHBOARD_CONTENT_SECURITY_POLICY,
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'same-origin',
          },
        },
        (error) => {
          if (!error) return resolve(true);
          // Begun, then cut (the client went away): nothing more can be said on this response.
          if (response.headersSent) return resolve(true);
          const status = error.status ?? error.statusCode;
          if (status === 404 || MISSING_FILE_CODES.has(error.code ?? '')) return resolve(false);
          reject(error);
        },
      );
    });
  }
}

function notFound(pathname: string): ProblemException {
  return new ProblemException({
    type: 'about:blank',
    title: 'Not found',
    status: HttpStatus.NOT_FOUND,
    detail: `There is no ${pathname.slice(0, 200)} here.`,
  });
}
