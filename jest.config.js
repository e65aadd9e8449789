/** Tests in layers: unit (pure rules), integration (real SDK against the local cloud), ui (compiled weapp pages), e2e (Chromium). */
const swc = ['@swc/jest', { jsc: { target: 'es2021', parser: { syntax: 'typescript', tsx: true } }, module: { type: 'commonjs' } }];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      setupFiles: ['<rootDir>/test/integration/env.ts'],
      // The ledger audit on every local cloud the file started, at its end (a mismatch fails the file).
      setupFilesAfterEnv: ['<rootDir>/test/support/audit-after.ts'],
    },
    {
      displayName: 'ui',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/ui/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      setupFiles: ['<rootDir>/test/ui/setup.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      setupFiles: ['<rootDir>/test/integration/env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/audit-after.ts'],
    },
  ],
  testTimeout: 60000,
};
