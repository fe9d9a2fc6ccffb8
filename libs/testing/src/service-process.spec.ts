import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { OutputTail, startServiceProcess } from './service-process';

/**
 * A port picked for a service is unbound until the service listens; if another process takes it
 * meanwhile, the harness must not mistake that process's answers for the service's.
 */
describe('startServiceProcess', () => {
  let impostor: Server;
  let port: number;

  beforeAll(async () => {
    // Answers like a ready service, but it is not the process the harness starts.
    impostor = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify(
          request.url === '/health/live' ? { status: 'ok', pid: 1 } : { status: 'ok' },
        ),
      );
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    port = (impostor.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => impostor.close(() => resolve())));

  it('refuses a ready answer from another process on its port', async () => {
    await expect(
      startServiceProcess({ app: 'accounts', port, env: {}, readyTimeoutMs: 20_000 }),
    ).rejects.toThrow(`port ${port} of accounts is taken by another process`);
  });
});

describe('OutputTail', () => {
  it('keeps what was printed after a mark even once the start has been dropped', () => {
    const tail = new OutputTail(10);
    tail.append('abcdef');
    const mark = tail.printed();
    tail.append('ghijkl');
    // 12 characters exceed the limit: only the last 5 are kept.
    expect(tail.text()).toBe('hijkl');
    expect(tail.printed()).toBe(12);
    expect(tail.since(mark)).toBe('hijkl');
    tail.append('mn');
    expect(tail.since(mark)).toBe('hijklmn');
    expect(tail.since(tail.printed())).toBe('');
  });
});
