// `npm run build`: every app and every shared lib compiled with SWC to CommonJS in dist/, so a
// service runs as `node dist/apps/<app>/src/main.js` (what the container image does). SWC rather
// than esbuild because Nest's dependency injection needs TypeScript's decorator metadata.
// The `@drone-delivery/*` path aliases of tsconfig.base.json become relative requires.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { transformFile } from '@swc/core';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'dist');
/**
 * Test code only (no service imports it at run time), and the dashboard, a browser app that
 * Vite bundles (`npm run build:dashboard`, run by `npm run build` after this script).
 */
const EXCLUDED_PROJECTS = new Set(['libs/testing', 'apps/dashboard', 'apps/dashboard-e2e']);
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

const { compilerOptions } = JSON.parse(
  await readFile(path.join(ROOT, 'tsconfig.base.json'), 'utf8'),
);

const outputOf = (file) => path.join(OUT, path.relative(ROOT, file)).replace(/\.ts$/, '.js');

/** The SWC equivalent of tsconfig.base.json, as @swc-node/register applies it in development. */
const swcOptions = (file) => ({
  filename: file,
  swcrc: false,
  configFile: false,
  sourceMaps: true,
  inlineSourcesContent: false,
  sourceFileName: path.relative(path.dirname(outputOf(file)), file),
  module: { type: 'commonjs' },
  jsc: {
    target: compilerOptions.target,
    parser: { syntax: 'typescript', decorators: true },
    transform: {
      legacyDecorator: true,
      decoratorMetadata: true,
      // TypeScript's default for targets from ES2022 on, so fields behave as under tsc.
      useDefineForClassFields: true,
    },
    // Nest and TypeORM use class names (providers, entities, migrations).
    keepClassNames: true,
    baseUrl: ROOT,
    paths: compilerOptions.paths,
  },
});

async function sourcesOf(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test') files.push(...(await sourcesOf(full)));
    } else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.d.ts') &&
      !TEST_FILE.test(entry.name)
    ) {
      files.push(full);
    }
  }
  return files;
}

async function projects() {
  const found = [];
  for (const kind of ['libs', 'apps']) {
    for (const entry of await readdir(path.join(ROOT, kind), { withFileTypes: true })) {
      const project = `${kind}/${entry.name}`;
      if (entry.isDirectory() && !EXCLUDED_PROJECTS.has(project)) found.push(project);
    }
  }
  return found.sort();
}

/** Relative requires of compiled code that lead nowhere in dist/ (e.g. an alias to a lib left out). */
function unresolvedRequires(outputFile, code) {
  const missing = [];
  for (const [, request] of code.matchAll(/require\("([^"]+)"\)/g)) {
    if (request.startsWith('@drone-delivery/')) {
      missing.push(`${request} (no path alias in tsconfig.base.json)`);
    } else if (request.startsWith('.')) {
      const target = path.resolve(path.dirname(outputFile), request);
      const candidates = [target, `${target}.js`, path.join(target, 'index.js')];
      if (!candidates.some((candidate) => existsSync(candidate))) missing.push(request);
    }
  }
  return missing;
}

/** SWC's diagnostic (the code frame), without the Rust backtrace it may append. */
const swcMessage = (error) =>
  String(error?.message ?? error)
    .split(/\n\s*Stack backtrace:/)[0]
    .trim();

async function compile(file) {
  const output = outputOf(file);
  const { code, map } = await transformFile(file, swcOptions(file));
  await mkdir(path.dirname(output), { recursive: true });
  await writeFile(output, `${code}\n//# sourceMappingURL=${path.basename(output)}.map\n`);
  await writeFile(`${output}.map`, map);
  return { output, code };
}

const started = performance.now();
await rm(OUT, { recursive: true, force: true });
const failures = [];
const compiled = [];
let fileCount = 0;
const allProjects = await projects();
for (const project of allProjects) {
  const projectStarted = performance.now();
  const srcDir = path.join(ROOT, project, 'src');
  if (!existsSync(srcDir)) {
    failures.push(`${project}: no src/ folder`);
    continue;
  }
  const files = await sourcesOf(srcDir);
  const failuresBefore = failures.length;
  const results = await Promise.allSettled(files.map(compile));
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') compiled.push(result.value);
    else failures.push(`${path.relative(ROOT, files[index])}: ${swcMessage(result.reason)}`);
  });
  fileCount += files.length;
  const ms = Math.round(performance.now() - projectStarted);
  const status = failures.length > failuresBefore ? 'FAILED' : '';
  console.log(
    `  ${project.padEnd(28)} ${String(files.length).padStart(4)} files ${String(ms).padStart(6)} ms ${status}`.trimEnd(),
  );
}

// Checked once everything is written, since apps require libs compiled in other projects.
for (const { output, code } of compiled) {
  for (const request of unresolvedRequires(output, code)) {
    failures.push(`${path.relative(ROOT, output)}: require of ${request} finds nothing in dist/`);
  }
}
for (const app of allProjects.filter((project) => project.startsWith('apps/'))) {
  if (!existsSync(path.join(OUT, app, 'src', 'main.js'))) failures.push(`${app}: no src/main.ts`);
}

if (failures.length > 0) {
  console.error(`\nbuild FAILED (${failures.length} problem${failures.length === 1 ? '' : 's'}):`);
  for (const failure of failures) console.error(`  - ${failure}`);
  process.exit(1);
}
const total = Math.round(performance.now() - started);
console.log(
  `built ${fileCount} files into ${path.relative(process.cwd(), OUT) || '.'}/ in ${total} ms`,
);
