import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that wait longest on the action's write pacing, longest first: started first, they pack best. */
const SLOW = ['faults', 'playbooks', 'hostile', 'e2e', 'board', 'what-people-see', 'production', 'overlaps', 'transfer-requests', 'properties', 'events'];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = SLOW.findIndex((name) => f.moduleId.endsWith(`/test/${name}.test.ts`));
      return i === -1 ? SLOW.length : i;
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // End-to-end walks mostly wait on the action's own write pacing, not on the CPU: files run
    // three at a time even on 2 cores (vitest's default there is one), slowest first, whatever
    // the cache of earlier runs says: a fresh clone runs as fast as a warm one.
    pool: 'forks',
    maxWorkers: 3,
    // Files share a worker's module cache: the stand-in and the sources are imported once a worker, not once a file.
    isolate: false,
    sequence: { sequencer: SlowFirst },
    // Points TMPDIR at a folder of the run's own and fails the run if a test leaves anything there.
    globalSetup: ['test/support/temp-guard.ts'],
  },
});
