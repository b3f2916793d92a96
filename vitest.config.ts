import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // End-to-end walks mostly wait on the action's own write pacing; files run in parallel, two at
    // a time even on 2 cores (vitest's default there is one), which halves the run.
    pool: 'forks',
    maxWorkers: 2,
    // Points TMPDIR at a folder of the run's own and fails the run if a test leaves anything there.
    globalSetup: ['test/support/temp-guard.ts'],
  },
});
