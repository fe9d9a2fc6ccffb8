import { cacheControlOf, dashboardFileOf, isGatewayPath, wantsPage } from './dashboard-paths';

describe('dashboard paths', () => {
  it('names the file under the directory, index.html for /', () => {
    expect(dashboardFileOf('/')).toBe('index.html');
    expect(dashboardFileOf('/assets/app-3f9a.js')).toBe('assets/app-3f9a.js');
    expect(dashboardFileOf('/deliveries/0193%20a')).toBe('deliveries/0193 a');
  });

  it.each([
    '/../package.json',
    '/assets/..%2f..%2fpackage.json',
    '/%2E%2E/secret',
    '/a/./b',
    '/..\\secret',
    '/a%5c..%5csecret',
    '/.env',
    '/assets/.git/config',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (path) => {
    expect(dashboardFileOf(path)).toBeUndefined();
  });

  it("leaves the gateway's own paths alone, whatever their case", () => {
    for (const path of ['/api', '/api/v1/fleet', '/identity/auth', '/HEALTH/live', '/docs-json']) {
      expect(isGatewayPath(path)).toBe(true);
    }
    for (const path of ['/', '/apis', '/callback', '/assets/api.js', '/docs.html']) {
      expect(isGatewayPath(path)).toBe(false);
    }
  });

  it('caches hashed assets for good, and revalidates everything else', () => {
    expect(cacheControlOf('assets/app-3f9a.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf('index.html')).toBe('no-cache');
    expect(cacheControlOf('favicon.svg')).toBe('no-cache');
  });

  it('falls back to the page only for a navigation outside the assets', () => {
    expect(wantsPage('text/html,application/xhtml+xml,*/*;q=0.8', 'callback')).toBe(true);
    expect(wantsPage('text/html', 'assets/missing.js')).toBe(false);
    expect(wantsPage('*/*', 'callback')).toBe(false);
    expect(wantsPage(undefined, 'callback')).toBe(false);
    expect(wantsPage('application/json, text/htmlx', 'callback')).toBe(false);
  });
});
