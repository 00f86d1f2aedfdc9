/** Unit tests: pure functions, no I/O. Integration tests (*.int.test.ts): real PostgreSQL and Kafka. */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: false },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const roots = ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/test'];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      roots,
      transform,
      testEnvironment: 'node',
      testMatch: ['**/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
    },
    {
      displayName: 'integration',
      roots,
      transform,
      testEnvironment: 'node',
      testMatch: ['**/test/**/*.int.test.ts'],
      globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
      globalTeardown: '<rootDir>/packages/testkit/src/global-teardown.ts',
      slowTestThreshold: 30,
    },
  ],
  testTimeout: 120000,
};
