// The dashboard, a browser app: Vite bundles it into dist/apps/dashboard, which the gateway
// serves at `/` (DASHBOARD_DIR). JSX is Preact's, compiled by Oxc (no plugin needed).
import path from 'node:path';
import { defineConfig } from 'vite';

const workspaceRoot = path.resolve(import.meta.dirname, '../..');

export default defineConfig({
  root: import.meta.dirname,
  // Served from the gateway's root; /assets/* are the hashed files.
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.join(workspaceRoot, 'dist/apps/dashboard'),
    emptyOutDir: true,
    target: 'es2023',
    // No source maps in the image: the source is public, and the page stays small.
    sourcemap: false,
  },
  server: {
    // `nx serve dashboard` during development: the API and identity behind a local gateway.
    proxy: {
      '/api': { target: 'http://localhost:8080', ws: true },
      '/identity': 'http://localhost:8080',
    },
  },
});
