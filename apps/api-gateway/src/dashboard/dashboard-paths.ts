/**
 * Which requests the dashboard answers and how: pure rules, kept apart from the file serving
 * (dashboard-site.ts) so each can be read, and tested, on its own.
 */

/**
 * Paths the gateway answers itself or forwards: never a dashboard file nor its index.html, even
 * when a client asks for HTML (a browser following a link to /docs or to the sign-in page).
 */
const GATEWAY_PATHS = [
  '/api',
  '/identity',
  '/oidc',
  '/.well-known',
  '/health',
  '/metrics',
  '/docs',
  '/docs-json',
  '/docs-yaml',
];

export function isGatewayPath(pathname: string): boolean {
  const lower = pathname.toLowerCase();
  return GATEWAY_PATHS.some((path) => lower === path || lower.startsWith(`${path}/`));
}

/** Vite names each asset after a hash of its content: a changed file gets a new name. */
export const ASSETS_PREFIX = 'assets/';

export const INDEX_FILE = 'index.html';

/**
 * The file under the dashboard's directory a request path names, or undefined when the path
 * is not one a file can have: badly encoded, with a NUL byte, a backslash, or a segment that
 * starts with a dot (`..` among them; after decoding, so `%2e%2e%2f` counts). Express' `send` refuses such paths too; refusing them
 * here first means a traversal attempt never falls back to index.html and reads like any other
 * missing file.
 */
export function dashboardFileOf(rawPathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').slice(1);
  // Dot files (.env, .git) are never part of a build: not served, and no fallback either.
  if (segments.some((segment) => segment.startsWith('.'))) return undefined;
  const file = segments.join('/');
  return file === '' ? INDEX_FILE : file;
}

/**
 * Hashed assets may be kept for a year and never revalidated; everything else, index.html first,
 * is revalidated on every load (its ETag makes that a 304), so a new build shows at once.
 */
export function cacheControlOf(file: string): string {
  return file.startsWith(ASSETS_PREFIX) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * The dashboard loads nothing from elsewhere: its scripts, styles and images come from the
 * gateway, and it talks to the gateway only (`'self'` covers ws: and wss: of the same host, CSP
 * Level 3). No inline script or style, and no page may frame it (clickjacking).
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A client-side route (/callback, /deliveries/...) is answered with index.html only when the
 * client wants a page: a browser navigating asks for text/html, a script fetching a missing
 * asset does not, and gets a plain 404 instead of HTML it cannot run.
 */
export function wantsPage(accept: string | string[] | undefined, file: string): boolean {
  if (file.startsWith(ASSETS_PREFIX)) return false;
  const value = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(value);
}
