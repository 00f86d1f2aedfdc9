/** Unit tests: pure functions, no I/O. Integration tests (*.int.test.ts): real PostgreSQL and Kafka. */
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax },
      transform: { legacyDecorator: true, decoratorMetadata: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const transform = {
  // ESM-only packages (jose) are compiled to CommonJS for jest; Node itself loads them as they are.
  '^.+/node_modules/.+\\.js$': swc('ecmascript'),
  '^.+\\.ts$': swc('typescript'),
};
/** node_modules not compiled, except the ESM-only packages (pnpm keeps them under .pnpm/<name>@…). */
const ESM_ONLY = ['/node_modules/(?!(\\.pnpm/)?jose[@/])'];
const roots = ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/test'];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      roots,
      transform,
      transformIgnorePatterns: ESM_ONLY,
      testEnvironment: 'node',
      testMatch: ['**/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
    },
    {
      displayName: 'integration',
      roots,
      transform,
      transformIgnorePatterns: ESM_ONLY,
      testEnvironment: 'node',
      testMatch: ['**/test/**/*.int.test.ts'],
      globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
      globalTeardown: '<rootDir>/packages/testkit/src/global-teardown.ts',
      slowTestThreshold: 30,
    },
  ],
  testTimeout: 120000,
};
