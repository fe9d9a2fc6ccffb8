import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  at: number;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

type Route = (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

export const TEST_CREDENTIALS = { clientId: 'test-client', clientSecret: 'test-secret' };

/**
 * One HTTP server playing the gateway (and the identity provider's token endpoint behind it):
 * each test says what each route answers, and reads back what the client sent and when. The
 * token endpoint hands out `token-1`, `token-2`, … to TEST_CREDENTIALS unless a test says
 * otherwise.
 */
export class FakePublicApi {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: { method: string; path: RegExp; route: Route }[] = [];
  private server?: Server;
  tokensIssued = 0;

  constructor() {
    const basic = `Basic ${Buffer.from('test-client:test-secret').toString('base64')}`;
    this.on('POST', /^\/identity\/token$/, (request) =>
      request.headers.authorization === basic
        ? {
            status: 200,
            body: {
              access_token: `token-${++this.tokensIssued}`,
              token_type: 'Bearer',
              expires_in: 300,
            },
          }
        : {
            status: 401,
            body: { error: 'invalid_client', error_description: 'client authentication failed' },
          },
    );
  }

  /** The API requests (not the token requests) the client made. */
  get apiRequests(): RecordedRequest[] {
    return this.requests.filter((request) => !request.path.startsWith('/identity/'));
  }

  /** What `method` on a path matching `path` answers; the latest matching route wins. */
  on(method: string, path: RegExp, route: Route): this {
    this.routes.unshift({ method, path, route });
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: parseBody(text),
      at: Date.now(),
    };
    this.requests.push(recorded);
    const route = this.routes.find(
      (candidate) => candidate.method === recorded.method && candidate.path.test(recorded.path),
    )?.route;
    const answer = route ? await route(recorded) : { status: 404, body: notFoundProblem() };
    const isProblem = answer.status >= 400 && !recorded.path.startsWith('/identity/');
    response.writeHead(answer.status, {
      'content-type': isProblem ? 'application/problem+json' : 'application/json',
      ...answer.headers,
    });
    response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }
}

/** JSON bodies as values; the token endpoint's form body as text. */
function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function notFoundProblem() {
  return { type: 'about:blank', title: 'Not Found', status: 404 };
}

export const NO_DRONE_PROBLEM = {
  type: 'https://drone-delivery.example/problems/no-drone-available',
  title: 'No drone is free to take this delivery',
  status: 503,
  detail: 'Every drone able to carry this package is busy. Nothing was booked; try again later.',
  retryAfterSeconds: 1,
};

export function scheduledDelivery(deliveryId: string) {
  return {
    deliveryId,
    packageId: '0199a000-0000-7000-8000-000000000001',
    droneId: '0199a000-0000-7000-8000-000000000002',
    stage: 'Created',
    pickupEta: new Date(Date.now() + 10_000).toISOString(),
    dropoffEta: new Date(Date.now() + 20_000).toISOString(),
  };
}

export function historyEntry(type: string, sequence: number, occurredAt = new Date()) {
  return {
    eventId: `event-${sequence}`,
    type,
    sequence,
    occurredAt: occurredAt.toISOString(),
    data: {},
  };
}
