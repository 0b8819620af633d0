import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // A guard against hangs, not a speed target (those live in the
          // benchmarks): the CLI tests spawn the built binary, which a busy
          // CI machine can make take seconds.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each test file gets its own databases; the servers are shared.
          fileParallelism: true,
        },
      },
    ],
  },
});
