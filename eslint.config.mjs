// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Code allowed to talk to Kafka directly; everything else goes through libs/messaging. Tests
 * may: they play producers of malformed messages and operators reading dead-letter topics; so
 * do benchmarks (a bare kafkajs consumer is their yardstick).
 */
const KAFKAJS_ALLOWED = [
  'libs/messaging/**',
  'libs/testing/**',
  'apps/*/test/**',
  'tools/bench/**',
  // The chaos run audits Kafka itself (consumer lag, dead letters), like a bench or a test.
  'tools/chaos/**',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', 'docker/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false, program: null },
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      // Config files for Jest are CommonJS.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // .tsx: the dashboard's components (a browser app) follow the same rules and boundaries.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      // An un-awaited promise in a test asserts nothing; in a service it loses errors.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // What kind of project may use what.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:infrastructure', 'type:testing'],
            },
            {
              sourceTag: 'type:infrastructure',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:infrastructure', 'type:testing'],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'],
            },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            // Browser tests drive the whole system from outside, with the test harness.
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:infrastructure', 'type:testing'],
            },
            // The browser app (the dashboard) shares types with the services, never server code.
            { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['type:contracts'] },
            // Shared code never reaches into a service; a service only into shared code and itself.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: KAFKAJS_ALLOWED,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'kafkajs',
              message:
                'Use @drone-delivery/messaging: it owns producer, consumer and topic settings.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests legitimately poke at loosely typed results (JSON bodies, raw query rows).
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  prettier,
);
