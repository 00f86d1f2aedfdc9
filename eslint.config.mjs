import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages that do I/O: the domain may not import them. */
const IO_PACKAGES = [
  'typeorm',
  'pg',
  'kafkajs',
  'express',
  'dataloader',
  'node:fs',
  'fs',
  'node:http',
  'http',
  'node:net',
  'net',
  '@xueji/db',
  '@xueji/outbox',
  '@xueji/inbox',
  '@xueji/event-bus',
  '@xueji/service-kit',
  '@xueji/audit',
  '@xueji/student-scope',
  '@xueji/spreadsheet',
  '@xueji/testkit',
];

/** The layers above the domain. */
const OUTER_LAYERS = ['entities', 'resolvers', 'application', 'reads', 'events', 'jobs', 'migrations', 'generated'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'gateway/supergraph.graphql',
      'infra/**/*.cjs',
      'services/*/src/generated/**',
    ],
  },
  js.configs.recommended,
  // Type-aware rules (no-floating-promises, no-misused-promises, no-unsafe-*, …): the compiler's
  // types checked in lint too.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      // Misfires on TypeORM's `query<T = any>()`: the cast is what infers T, and its autofix leaves `any`.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Async where an interface asks for a promise (Apollo's context, kafkajs' eachMessage) is fine.
      '@typescript-eslint/require-await': 'off',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // The domain is pure: facts and a profile in, a decision out.
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: IO_PACKAGES, message: 'The domain is pure: no database, network, file or other I/O.' },
            {
              group: OUTER_LAYERS.flatMap((layer) => [`**/${layer}`, `**/${layer}/**`]),
              message: 'The domain may not import the layers above it (entities, resolvers, application, reads, …).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/scripts/**/*.ts', 'scripts/**/*.ts', '**/cli.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // jest types its asymmetric matchers (expect.arrayContaining, expect.any, …) as `any`.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  {
    // The public lookup page's script runs in the browser.
    files: ['gateway/public/**/*.js'],
    languageOptions: { globals: { document: 'readonly', fetch: 'readonly', window: 'readonly' } },
  },
);
