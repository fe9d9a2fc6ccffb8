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

/**
 * One HTTP server playing the scheduler, delivery and delivery-history: each test says what
 * each route answers, and reads back what the client sent and when.
 */
export class FakePublicApi {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: { method: string; path: RegExp; route: Route }[] = [];
  private server?: Server;

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
      body: text ? (JSON.parse(text) as unknown) : undefined,
      at: Date.now(),
    };
    this.requests.push(recorded);
    const route = this.routes.find(
      (candidate) => candidate.method === recorded.method && candidate.path.test(recorded.path),
    )?.route;
    const answer = route ? await route(recorded) : { status: 404, body: notFoundProblem() };
    const isProblem = answer.status >= 400;
    response.writeHead(answer.status, {
      'content-type': isProblem ? 'application/problem+json' : 'application/json',
      ...answer.headers,
    });
    response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
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
