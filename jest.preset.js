// Shared by every project's jest.config.js. TypeScript is compiled by SWC to CommonJS; NestJS 12
// is ESM and loads through require(esm), which under Jest needs `--experimental-vm-modules`
// (the `npm test` script and the Nx `test` target pass it).
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const escapeRegExp = (value) => value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The tsconfig path aliases (`@drone-delivery/<lib>`), so tests import libs as apps do. */
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${escapeRegExp(alias)}$`,
    path.join(__dirname, target),
  ]),
);

const fs = require('node:fs');

const base = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.int-spec.ts', '<rootDir>/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper,
};

/** True when the project holds integration or end-to-end specs, which need Postgres and Kafka. */
function hasIntegrationSpecs(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .some((entry) =>
      entry.isDirectory()
        ? entry.name !== 'node_modules' && hasIntegrationSpecs(path.join(dir, entry.name))
        : /\.(int|e2e)-spec\.ts$/.test(entry.name),
    );
}

/**
 * A project's Jest config. Projects with integration specs get the harness's global setup: one
 * Postgres and one Kafka per test run (see libs/testing/README.md); unit-only projects run
 * without Docker.
 */
function jestProjectConfig(projectDir, displayName) {
  const needsInfrastructure = hasIntegrationSpecs(projectDir);
  return {
    ...base,
    displayName,
    rootDir: projectDir,
    ...(needsInfrastructure && {
      globalSetup: path.join(__dirname, 'libs/testing/src/global-setup.ts'),
      globalTeardown: path.join(__dirname, 'libs/testing/src/global-teardown.ts'),
      // Integration tests wait on real servers; their own waits have tighter, named timeouts.
      testTimeout: 60_000,
    }),
  };
}

module.exports = { jestProjectConfig };
