import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

/**
 * `/health/live` and `/health/ready`, as every service has them, so the image's HEALTHCHECK and
 * `docker compose ps` work for the generator too. It has no database and serves no API, so
 * this is a bare node:http server rather than a Nest app; ready turns 503 once it is stopping.
 */
export class HealthServer {
  private readonly server: Server;
  private draining = false;

  constructor() {
    this.server = createServer((request, response) => {
      const path = request.url?.split('?')[0];
      if (path !== '/health/live' && path !== '/health/ready') {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"status":404}');
        return;
      }
      const ok = path === '/health/live' || !this.draining;
      response
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ok ? 'ok' : 'shutting down' }));
    });
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.server.listen(port, host);
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    this.draining = true;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Ready answers 503 from now on. */
  drain(): void {
    this.draining = true;
  }
}
