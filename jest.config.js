/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking happens once in `npm run typecheck`; jest only transpiles, which keeps it fast.
    '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  setupFiles: ['<rootDir>/tests/helpers/setupEnv.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
