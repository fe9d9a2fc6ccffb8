import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * Stand-ins for the services behind the gateway: plain node:http servers that record every
 * request as it arrived (raw body, every header) and answer as scripted. By default they answer
 * 200 with `{ service, method, url }`, and their OpenAPI document at /docs-json.
 */

export interface ReceivedRequest {
  service: string;
  /** Which instance of the service took it: its listening address. */
  address: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON... */
  body?: unknown;
  /** ...or as it is (text/plain unless headers say otherwise), e.g. a /metrics page. */
  text?: string;
}

export type Answer = ScriptedAnswer | 'hang';

export class FakeService {
  private server?: Server;
  private port: number;
  private answer?: Answer;
  private readonly answersByPath = new Map<string, Answer>();

  constructor(
    readonly name: string,
    readonly journal: ReceivedRequest[],
    private readonly openApi: object,
    private readonly host = '127.0.0.1',
    port = 0,
  ) {
    this.port = port;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  get listeningPort(): number {
    return this.port;
  }

  /** From now on, answer every API call (not /docs-json) with `answer`. */
  answerWith(answer: Answer): void {
    this.answer = answer;
  }

  /** From now on, answer calls to `path` (exactly, query included) with `answer`. */
  answerPathWith(path: string, answer: Answer): void {
    this.answersByPath.set(path, answer);
  }

  reset(): void {
    this.answer = undefined;
    this.answersByPath.clear();
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.url === '/docs-json') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(this.openApi));
          return;
        }
        this.journal.push({
          service: this.name,
          address: this.host,
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          headers: request.headers,
          body,
        });
        const answer = this.answersByPath.get(request.url ?? '/') ??
          this.answer ?? {
            status: 200,
            body: { service: this.name, method: request.method, url: request.url },
          };
        if (answer === 'hang') return; // never answers; closed by stop()
        if (answer.text !== undefined) {
          response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
          response.end(answer.text);
          return;
        }
        const json = answer.body === undefined ? '' : JSON.stringify(answer.body);
        response.writeHead(answer.status, {
          ...(json && { 'content-type': 'application/json' }),
          ...answer.headers,
        });
        response.end(json);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every connection: callers get "connection refused". */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }
}

/** A small OpenAPI document with the given paths (GET each), as a Nest service would serve it. */
export function openApiWith(service: string, paths: string[]): object {
  return {
    openapi: '3.0.0',
    info: { title: service, version: '1' },
    paths: Object.fromEntries(
      paths.map((path) => [
        path,
        {
          get: {
            operationId: `${service}-${path}`,
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/View' } } },
              },
            },
          },
        },
      ]),
    ),
    components: { schemas: { View: { type: 'object', title: `${service} view` } } },
  };
}
