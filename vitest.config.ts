import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code, and end-to-end tests that start the
// real `aos` CLI (built into dist/) against Azurite. e2e files run one at a time
// because each starts its own host and shares the machine's two cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'entities/**/*.test.ts', 'orchestrators/**/*.test.ts', 'activities/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
    ],
  },
});
