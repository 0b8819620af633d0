import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The run's own temp folder (TMPDIR), checked empty at the end.
    globalSetup: ['test/setup/temp-guard.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/setup/temp-dirs.ts'],
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
          setupFiles: ['test/setup/temp-dirs.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each test file gets its own databases; the servers are shared.
          fileParallelism: true,
        },
      },
    ],
  },
});
