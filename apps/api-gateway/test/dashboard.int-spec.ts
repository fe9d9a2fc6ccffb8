/**
 * The dashboard's files served by the gateway at `/`, and the map's data behind it: a real
 * gateway process with DASHBOARD_DIR set to a directory this test writes (a build stand-in), and
 * a real drone-management answering GET /api/v1/service-area through it.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_ACCOUNTS, type ServiceAreaView } from '@drone-delivery/contracts';
import {
  createTestDatabase,
  serviceTokenEnv,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  testKafkaBrokers,
} from '@drone-delivery/testing';
import { FakeService, type ReceivedRequest } from './fake-services';

const INDEX_HTML =
  '<!doctype html><title>Drone Delivery</title><script src="/assets/app-3f9a.js"></script>';
const SCRIPT = 'console.log("dashboard");';
const STYLE = 'body { margin: 0 }';
const CENTER = { lat: 12.5, lng: 33.25 };
const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; " +
  "script-src 'self'; frame-ancestors 'none'";

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path exactly as written: fetch would resolve `..` before sending it. */
function rawGet(base: string, rawPath: string, headers: Record<string, string> = {}) {
  const url = new URL(base);
  return new Promise<RawAnswer>((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path: rawPath, method: 'GET', headers },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('the dashboard at /', () => {
  let issuer: TestIssuer;
  const databases: TestDatabase[] = [];
  let workDir: string;
  let dashboardDir: string;
  let identity: FakeService;
  const journal: ReceivedRequest[] = [];
  let droneManagement: ServiceProcess;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'dashboard-spec-'));
    dashboardDir = path.join(workDir, 'dashboard');
    await mkdir(path.join(dashboardDir, 'assets'), { recursive: true });
    await Promise.all([
      writeFile(path.join(dashboardDir, 'index.html'), INDEX_HTML),
      writeFile(path.join(dashboardDir, 'assets', 'app-3f9a.js'), SCRIPT),
      writeFile(path.join(dashboardDir, 'assets', 'app-77c1.css'), STYLE),
      writeFile(path.join(dashboardDir, '.env'), 'SECRET=dotfile'),
      // Beside the served directory, not in it: no path may reach this.
      writeFile(path.join(workDir, 'secret.txt'), 'SECRET=outside'),
    ]);
    identity = new FakeService('identity', journal, {});
    const [fleetDatabase, gatewayDatabase] = await Promise.all([
      createTestDatabase('api_gateway_dashboard_dm'),
      createTestDatabase('api_gateway_dashboard'),
    ]);
    databases.push(fleetDatabase, gatewayDatabase);
    [issuer] = await Promise.all([startTestIssuer(), identity.start()]);
    droneManagement = await startServiceProcess({
      app: 'drone-management',
      readyTimeoutMs: 90_000,
      env: {
        DATABASE_URL: fleetDatabase.url,
        ...serviceTokenEnv(),
        ...issuer.env,
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        SIMULATOR_ENABLED: 'false',
        SERVICE_AREA_CENTER_LAT: String(CENTER.lat),
        SERVICE_AREA_CENTER_LNG: String(CENTER.lng),
        SERVICE_AREA_RADIUS_KM: '10',
        HOME_BASES: '4',
      },
    });
    gateway = await startServiceProcess({
      app: 'api-gateway',
      readyTimeoutMs: 90_000,
      env: {
        DATABASE_URL: gatewayDatabase.url,
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        ...issuer.env,
        SCHEDULER_URL: identity.url,
        DELIVERY_URL: identity.url,
        DELIVERY_HISTORY_URL: identity.url,
        IDENTITY_URL: identity.url,
        DRONE_MANAGEMENT_URL: droneManagement.url,
        DASHBOARD_DIR: dashboardDir,
      },
    });
  });

  afterAll(async () => {
    await Promise.allSettled([gateway?.stop(), droneManagement?.stop(), identity?.stop()]);
    await Promise.allSettled(databases.map((database) => database.drop()));
    await issuer?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  afterEach(() => journal.splice(0));

  const get = (pathname: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${pathname}`, { headers, redirect: 'manual' });

  describe('files', () => {
    it('serves index.html at /, revalidated on every load, under the CSP', async () => {
      const response = await get('/', { accept: 'text/html' });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe(INDEX_HTML);
    });

    it('serves hashed assets with their type, cached for a year as immutable', async () => {
      const script = await get('/assets/app-3f9a.js');
      const style = await get('/assets/app-77c1.css');

      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
      expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await script.text()).toBe(SCRIPT);
      expect(style.headers.get('content-type')).toMatch(/^text\/css/);
      expect(await style.text()).toBe(STYLE);
    });

    it('answers a repeated load with 304 by its ETag, and HEAD with headers only', async () => {
      const first = await get('/');
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();

      // Not fetch: a conditional header makes it send Cache-Control: no-cache (a forced reload).
      const again = await rawGet(gateway.url, '/', { 'if-none-match': etag as string });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');

      const head = await fetch(`${gateway.url}/assets/app-3f9a.js`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(SCRIPT)));
      expect(await head.text()).toBe('');
    });

    it('answers a client-side route with index.html when a page is wanted, else 404', async () => {
      const page = await get('/callback?code=abc&state=xyz', {
        accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      });
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toBe(INDEX_HTML);

      const script = await get('/assets/app-0000.js', { accept: 'text/html' });
      expect(script.status).toBe(404);
      expect(script.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      const data = await get('/callback', { accept: 'application/json' });
      expect(data.status).toBe(404);
      expect(((await data.json()) as { status: number }).status).toBe(404);
    });

    it.each([
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%2e%2e%5csecret.txt',
      '/.env',
      '/%00index.html',
      '/%E0%A4%A',
    ])('refuses %s: 404, never the file and never index.html', async (rawPath) => {
      const answer = await rawGet(gateway.url, rawPath, { accept: 'text/html' });

      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body).not.toContain('SECRET');
      expect(answer.body).not.toContain('<title>');
    });

    it('shadows none of the paths the gateway answers itself, even for a page', async () => {
      const html = { accept: 'text/html' };
      const api = await get('/api/v1/no-such-thing', html);
      expect(api.status).toBe(404);
      expect(await api.text()).toContain('There is no GET /api/v1/no-such-thing in this API.');

      const live = await get('/health/live', html);
      expect(live.status).toBe(200);
      expect(((await live.json()) as { status: string }).status).toBe('ok');

      const metrics = await get('/metrics', html);
      expect(await metrics.text()).toContain('http_server_request_duration_seconds');

      const docs = await get('/docs', html);
      expect(await docs.text()).toMatch(/swagger/i);

      const signIn = await get('/identity/auth?client_id=dashboard', html);
      expect(signIn.status).toBe(200);
      expect(journal.map((received) => received.url)).toEqual([
        '/identity/auth?client_id=dashboard',
      ]);
    });

    it('answers a POST to a page path as Nest does, with a 404 problem, not the page', async () => {
      const response = await fetch(`${gateway.url}/callback`, { method: 'POST' });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('<title>');
    });

    it('says how to build the dashboard when its directory is missing', async () => {
      const moved = `${dashboardDir}-moved`;
      await rename(dashboardDir, moved);
      try {
        const response = await get('/', { accept: 'text/html' });
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(await response.json()).toMatchObject({
          status: 404,
          detail: 'the dashboard is not built: npm run build:dashboard',
        });
        const route = await get('/callback', { accept: 'text/html' });
        expect(route.status).toBe(404);
      } finally {
        await rename(moved, dashboardDir);
      }
      expect((await get('/')).status).toBe(200);
    });
  });

  describe('GET /api/v1/service-area', () => {
    it('gives any signed-in caller the area and its home bases, from drone-management', async () => {
      for (const bearer of [
        await issuer.bearer({ accountId: DEMO_ACCOUNTS.active.accountId }),
        await issuer.bearer({ operator: true }),
      ]) {
        const response = await get('/api/v1/service-area', { authorization: bearer });
        expect(response.status).toBe(200);
        const area = (await response.json()) as ServiceAreaView;
        expect(area.center).toEqual(CENTER);
        expect(area.radiusKm).toBe(10);
        expect(area.homeBases).toHaveLength(4);
        // On a ring inside the area: 0.4 of the radius out, so well within it.
        for (const base of area.homeBases) {
          expect(Math.abs(base.lat - CENTER.lat) + Math.abs(base.lng - CENTER.lng)).toBeLessThan(
            0.1,
          );
          expect(base).not.toEqual(CENTER);
        }
      }
    });

    it('is refused without a token (401) at the gateway and at the service', async () => {
      expect((await get('/api/v1/service-area')).status).toBe(401);
      const direct = await fetch(`${droneManagement.url}/api/v1/service-area`);
      expect(direct.status).toBe(401);
    });

    it('is in the OpenAPI document the gateway serves', async () => {
      const docs = (await (await get('/docs-json')).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(docs.paths)).toContain('/api/v1/service-area');
    });
  });
});
