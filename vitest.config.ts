import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // End-to-end walks mostly wait on the action's own write pacing; files run in parallel.
    pool: 'forks',
  },
});
