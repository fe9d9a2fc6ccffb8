import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  type AssignmentView,
  DEMO_ACCOUNTS,
  type DeliveryView,
  type PackageView,
  PROBLEM_CONTENT_TYPE,
} from '@drone-delivery/contracts';

/**
 * Stand-ins for accounts, package, drone-management and delivery: plain node:http servers that
 * record every request and answer as the internal contracts say, unless a test scripts another
 * answer (a status, a hang) or takes the server down.
 */

export interface RecordedRequest {
  service: string;
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';
type Handler = (request: RecordedRequest) => Answer;

export class FakeDownstream {
  private server?: Server;
  private port = 0;
  private readonly scripted = new Map<string, Answer>();
  private readonly afterHandling = new Map<string, Answer>();

  constructor(
    readonly name: string,
    private readonly journal: RecordedRequest[],
    private readonly handle: Handler,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** From now on, answer every `method` request with `answer` instead of the contract's. */
  answer(method: string, answer: Answer): void {
    this.scripted.set(method, answer);
  }

  /**
   * From now on, do what the contract says with every `method` request, then answer `answer`
   * instead: the work is done but its answer is lost, as when a caller's timeout fires first.
   */
  answerAfterHandling(method: string, answer: Answer): void {
    this.afterHandling.set(method, answer);
  }

  /** Back to the contract's answers. */
  reset(): void {
    this.scripted.clear();
    this.afterHandling.clear();
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => this.serve(request, response));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every connection: callers get "connection refused". */
  async goDown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async comeBack(): Promise<void> {
    if (!this.server) await this.start();
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        service: this.name,
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        body: text ? JSON.parse(text) : undefined,
        authorization: request.headers.authorization,
      };
      this.journal.push(recorded);
      const lost = this.afterHandling.get(recorded.method);
      if (lost) this.handle(recorded);
      const answer = lost ?? this.scripted.get(recorded.method) ?? this.handle(recorded);
      if (answer === 'hang') return; // never answers; the connection is dropped by goDown/close
      const json = answer.body === undefined ? '' : JSON.stringify(answer.body);
      const isProblem = answer.status >= 400;
      response.writeHead(answer.status, {
        ...(json && { 'content-type': isProblem ? PROBLEM_CONTENT_TYPE : 'application/json' }),
        ...answer.headers,
      });
      response.end(json);
    });
  }
}

function problem(status: number, type = 'about:blank', detail?: string) {
  return { status, body: { type, title: `HTTP ${status}`, status, ...(detail && { detail }) } };
}

/** Active too, besides the demo accounts: the other customer of the ownership tests. */
export const SECOND_ACTIVE_ACCOUNT = '44444444-4444-4444-8444-444444444444';

const idOf = (path: string) => path.split('/').pop() as string;
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

export interface FakeDownstreams {
  accounts: FakeDownstream;
  packages: FakeDownstream;
  droneManagement: FakeDownstream;
  delivery: FakeDownstream;
  all: FakeDownstream[];
  /** Every request any fake received, in arrival order. */
  journal: RecordedRequest[];
  /** What the fakes hold now, by id: the "real" state the saga leaves behind. */
  state: {
    packages: Map<string, PackageView>;
    assignments: Map<string, AssignmentView>;
    deliveries: Map<string, DeliveryView>;
  };
}

export async function startFakeDownstreams(): Promise<FakeDownstreams> {
  const journal: RecordedRequest[] = [];
  const packages = new Map<string, PackageView>();
  const assignments = new Map<string, AssignmentView>();
  const deliveries = new Map<string, DeliveryView>();

  const accounts = new FakeDownstream('accounts', journal, ({ path }) => {
    const id = idOf(path);
    if (id === DEMO_ACCOUNTS.active.accountId) {
      return { status: 200, body: { accountId: id, name: 'Contoso', status: 'active' } };
    }
    if (id === SECOND_ACTIVE_ACCOUNT) {
      return { status: 200, body: { accountId: id, name: 'Northwind', status: 'active' } };
    }
    if (id === DEMO_ACCOUNTS.suspended.accountId) {
      return { status: 200, body: { accountId: id, name: 'Fabrikam', status: 'suspended' } };
    }
    return problem(404);
  });

  const packageService = new FakeDownstream('package', journal, ({ method, path, body }) => {
    const id = idOf(path);
    if (method === 'PUT') {
      const existed = packages.has(id);
      const now = new Date().toISOString();
      const view = { ...(body as PackageView), packageId: id, createdAt: now, updatedAt: now };
      packages.set(id, view);
      return { status: existed ? 200 : 201, body: view };
    }
    if (method === 'DELETE') {
      packages.delete(id);
      return { status: 204 };
    }
    const found = packages.get(id);
    return found ? { status: 200, body: found } : problem(404);
  });

  const droneManagement = new FakeDownstream('drone-management', journal, (request) => {
    const id = idOf(request.path);
    const found = assignments.get(id);
    if (request.method === 'PUT') {
      if (found) return { status: 200, body: found };
      const body = request.body as AssignmentView;
      const view: AssignmentView = {
        deliveryId: id,
        droneId: randomUUID(),
        status: 'active',
        pickup: body.pickup,
        dropoff: body.dropoff,
        packageWeightKg: body.packageWeightKg,
        pickupEta: inMinutes(5),
        dropoffEta: inMinutes(15),
      };
      assignments.set(id, view);
      return { status: 201, body: view };
    }
    if (request.method === 'PATCH') {
      if (!found) return problem(404);
      Object.assign(found, request.body, { pickupEta: inMinutes(30), dropoffEta: inMinutes(45) });
      return { status: 200, body: found };
    }
    if (request.method === 'DELETE') {
      if (found) found.status = 'released';
      return { status: 204 };
    }
    return found ? { status: 200, body: found } : problem(404);
  });

  const delivery = new FakeDownstream('delivery', journal, (request) => {
    const id = idOf(request.path);
    const found = deliveries.get(id);
    if (request.method === 'PUT') {
      if (found) return { status: 200, body: found };
      const now = new Date().toISOString();
      const view: DeliveryView = {
        ...(request.body as DeliveryView),
        deliveryId: id,
        stage: 'Created',
        lastKnownLocation: null,
        createdAt: now,
        updatedAt: now,
      };
      deliveries.set(id, view);
      return { status: 201, body: view };
    }
    if (!found) return problem(404);
    if (request.method === 'PATCH') {
      if (found.stage === 'Completed' || found.stage === 'Cancelled') return problem(409);
      Object.assign(found, request.body, { stage: 'Rescheduled' });
      return { status: 200, body: found };
    }
    if (request.method === 'DELETE') {
      if (found.stage === 'Completed') return problem(409);
      found.stage = 'Cancelled';
      return { status: 200, body: found };
    }
    return { status: 200, body: found };
  });

  const all = [accounts, packageService, droneManagement, delivery];
  await Promise.all(all.map((fake) => fake.start()));
  return {
    accounts,
    packages: packageService,
    droneManagement,
    delivery,
    all,
    journal,
    state: { packages, assignments, deliveries },
  };
}
