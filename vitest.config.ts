import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // End-to-end walks mostly wait on the action's own write pacing, not on the CPU: files run
    // three at a time even on 2 cores (vitest's default there is one), which more than halves the run.
    pool: 'forks',
    maxWorkers: 3,
    // Points TMPDIR at a folder of the run's own and fails the run if a test leaves anything there.
    globalSetup: ['test/support/temp-guard.ts'],
  },
});
