import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { PublicApiClient } from '@drone-delivery/demo-traffic';

const CREDENTIALS = { clientId: 'generator', clientSecret: 'generator-secret' };
import { waitForServices } from './wait-for-services';

describe('waitForServices', () => {
  let server: Server;
  let ready = false;
  let checks = 0;
  let client: PublicApiClient;

  beforeEach(async () => {
    ready = false;
    checks = 0;
    // The gateway: ready or not, a token endpoint, and the services behind it (404 once up).
    server = createServer((request, response) => {
      if (request.url === '/health/ready') {
        checks += 1;
        response.writeHead(200).end();
      } else if (request.url === '/identity/token') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: 't', expires_in: 300 }));
      } else {
        response.writeHead(ready ? 404 : 503).end();
      }
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new PublicApiClient({ gatewayUrl: url, credentials: CREDENTIALS });
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns once every service is ready, saying what it waits for meanwhile', async () => {
    const lines: object[] = [];
    const logger = { log: (line: object) => lines.push(line), warn: () => undefined };
    setTimeout(() => (ready = true), 300);

    await waitForServices(client, logger, { intervalMs: 50, reportEveryMs: 60_000 });

    expect(checks).toBeGreaterThan(1); // several rounds
    expect(lines).toEqual([
      {
        message: 'waiting for the public APIs',
        notReady: [
          expect.stringMatching(/the scheduler.*delivery-requests.* answered 503/),
          expect.stringMatching(/delivery at .*deliveries\/[^/]+ answered 503/),
          expect.stringMatching(/delivery-history.*history answered 503/),
        ],
      },
    ]);
  });

  it('stops waiting when its signal aborts', async () => {
    const stopping = new AbortController();
    const logger = { log: () => undefined, warn: () => undefined };
    setTimeout(() => stopping.abort(new Error('stopping')), 100);

    await expect(
      waitForServices(client, logger, {
        intervalMs: 50,
        reportEveryMs: 1,
        signal: stopping.signal,
      }),
    ).rejects.toThrow('stopping');
  });
});
