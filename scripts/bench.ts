// `npm run bench`: figures, not assertions. The event path: API calls per step transition, from
// the GitHub stand-in's request log, and the start-up cost of dist/index.js against a bundle that
// only imports @actions/core and @actions/github.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSIGNER, BOT, DIST, TestWorld, WITH_ACCOUNT_TEAM, frontMatter } from '../test/support/harness.js';
import type { RequestLogEntry } from '../test/support/github-standin/index.js';

const BUDGET_STEP = 3;

function describeCall(r: RequestLogEntry): string {
  if (r.graphql) return `graphql ${r.graphql.operation}${r.graphql.name ? ` ${r.graphql.name}` : ''}`;
  return `${r.method} ${r.path.replace(/\/repos\/[^/]+\/[^/]+/, '')}`;
}

async function eventPath(): Promise<void> {
  const w = await TestWorld.start();
  // As after `mode: setup`: the action's labels exist in the repository.
  for (const label of ['engagement', 'migration-complete', 'account-team-notified', 'workload-ready', 'workload-not-ready', 'follow-up-sent', 'task-4060-done', 'stalled', 'queue-transfer']) w.gh.addLabelDefinition(w.repo, label);
  const rows: Array<{ event: string; calls: number; reads: number; writes: number; detail: string; budget: string }> = [];
  const run = async (what: string, budget: number | null) => {
    for (const event of w.newEvents()) {
      w.gh.resetLog();
      const result = await w.runDist(event, { 'assignment-assignees': ASSIGNER });
      if (result.code !== 0) throw new Error(result.stdout);
      const calls = w.gh.requests.filter((r) => r.actor === BOT);
      rows.push({
        event: `${what} (${event.name}.${event.action})`,
        calls: calls.length,
        reads: calls.filter((c) => !c.write).length,
        writes: calls.filter((c) => c.write).length,
        detail: calls.map(describeCall).join(', '),
        budget: budget === null ? '' : calls.length <= budget ? `≤ ${budget} ✓` : `> ${budget} ✗`,
      });
    }
  };
  try {
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await run('opened', null);
    for (const label of ['migration-complete', 'account-team-notified', 'workload-ready']) {
      await w.addLabel(n, label);
      await run(`+${label}`, BUDGET_STEP);
    }
    await w.addLabel(n, 'follow-up-sent');
    await run('+follow-up-sent (opens the transfer request)', BUDGET_STEP + 1);
    await w.addLabel(n, 'task-4060-done');
    await run('+task-4060-done', BUDGET_STEP);
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', ASSIGNER);
    await run('/queue-moved on the request (completes)', null);
    await w.comment(n, 'thanks all!', ASSIGNER);
    await run('an ordinary comment', 0);
  } finally {
    await w.close();
  }
  console.log('\nEvent path: API calls per run of dist/index.js (from the stand-in request log)\n');
  console.table(rows);
}

function startup(): void {
  const dir = join('.bench', 'startup');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'baseline.mjs'), "import * as core from '@actions/core';\nimport * as github from '@actions/github';\nif (process.env.NEVER) console.log(core, github);\n");
  execFileSync('npx', ['ncc', 'build', join(dir, 'baseline.mjs'), '-o', join(dir, 'out'), '-q'], { stdio: 'inherit' });
  const time = (file: string) => {
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) {
      const started = process.hrtime.bigint();
      // A push event: the action reads its inputs, loads its templates and has nothing to do.
      spawnSync(process.execPath, [file], { env: { PATH: process.env.PATH, GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'a/b', 'INPUT_GITHUB-TOKEN': 'x', INPUT_MODE: 'event' } });
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)] as number;
  };
  const action = time(DIST);
  const baseline = time(join(dir, 'out', 'index.js'));
  console.log('\nStart-up (median of 15 runs)\n');
  console.table([
    { bundle: 'dist/index.js', ms: action.toFixed(1) },
    { bundle: '@actions/core + @actions/github only', ms: baseline.toFixed(1) },
    { bundle: 'ratio', ms: (action / baseline).toFixed(2) },
  ]);
}

await eventPath();
startup();
