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

module.exports = {
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
  // One Postgres and one Kafka per test run; see libs/testing/README.md.
  globalSetup: path.join(__dirname, 'libs/testing/src/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/global-teardown.ts'),
  // Integration tests wait on real servers; their own waits have tighter, named timeouts.
  testTimeout: 60_000,
};
