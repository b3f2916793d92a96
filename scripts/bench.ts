// `npm run bench`: figures, not assertions. The event path: API calls per step transition, from
// the GitHub stand-in's request log (one read and one write request a move; the move that opens
// the transfer request one more; the completing /queue-moved the request's read, the engagement's
// read and one write), the scan's calls beside actions/stale's, and the start-up cost of
// dist/index.js against a bundle that only imports @actions/core and @actions/github.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSIGNER, BOT, DIST, TestWorld, WITH_ACCOUNT_TEAM, addEngagementBoard, frontMatter } from '../test/support/harness.js';
import type { RequestLogEntry } from '../test/support/github-standin/index.js';
import { REREAD_BATCH } from '../src/modes/scan.js';
import { staleSideBySide } from './bench-stale.js';

/** One read, one write request. */
const BUDGET_STEP = 2;
/** The transfer request's opening, then the plan that names it. */
const BUDGET_OPENS = 3;
/** The transfer request's read (which engagement), the engagement's read, one write. */
const BUDGET_COMPLETES = 3;
const run = promisify(execFile);

function describeCall(r: RequestLogEntry): string {
  if (r.graphql) return `graphql ${r.graphql.operation}${r.graphql.name ? ` ${r.graphql.name}` : ''}`;
  return `${r.method} ${r.path.replace(/\/repos\/[^/]+\/[^/]+/, '')}`;
}

/** The FM's labels of a playbook, in its order (the first is its start, the last its task). */
const PLAYBOOK_LABELS = {
  migration: ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4060-done'],
  enablement: ['enablement-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4058-done'],
};

async function eventPath(playbook: keyof typeof PLAYBOOK_LABELS): Promise<void> {
  const w = await TestWorld.start();
  const [start, notified, ready, sent, task] = PLAYBOOK_LABELS[playbook] as [string, string, string, string, string];
  // As after `mode: setup`: the action's labels exist in the repository.
  for (const label of ['engagement', ...PLAYBOOK_LABELS[playbook], 'workload-not-ready', 'stalled', 'queue-transfer']) w.gh.addLabelDefinition(w.repo, label);
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
    const n = await w.openEngagement(frontMatter({ ...WITH_ACCOUNT_TEAM, playbook }));
    await run('opened', null);
    for (const label of [start, notified, ready]) {
      await w.addLabel(n, label);
      await run(`+${label}`, BUDGET_STEP);
    }
    await w.addLabel(n, sent);
    await run(`+${sent} (opens the transfer request)`, BUDGET_OPENS);
    await w.addLabel(n, task);
    await run(`+${task}`, BUDGET_STEP);
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', ASSIGNER);
    await run('/queue-moved on the request (completes)', BUDGET_COMPLETES);
    await w.comment(n, 'thanks all!', ASSIGNER);
    await run('an ordinary comment', 0);
  } finally {
    await w.close();
  }
  console.log(`\nEvent path, ${playbook} playbook: API calls per run of dist/index.js (from the stand-in request log)\n`);
  console.table(rows);
}

/** A move with the board on (one token reaching both): still one read and one write request. */
async function boardPath(): Promise<void> {
  const w = await TestWorld.start();
  try {
    const inputs = { project: 'https://github.com/orgs/contoso-ft/projects/1' };
    addEngagementBoard(w.gh, 'contoso-ft', 1);
    w.gh.grantProjects(BOT, 'contoso-ft');
    for (const label of ['engagement', 'migration-complete', 'account-team-notified', 'stalled']) w.gh.addLabelDefinition(w.repo, label);
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    const rows: Array<{ event: string; calls: number; detail: string; budget: string }> = [];
    const measure = async (what: string, budget: number | null) => {
      for (const event of w.newEvents()) {
        w.gh.resetLog();
        const result = await w.runDist(event, inputs);
        if (result.code !== 0) throw new Error(result.stdout);
        const calls = w.gh.requests.filter((r) => r.actor === BOT);
        rows.push({ event: `${what} (${event.name}.${event.action})`, calls: calls.length, detail: calls.map(describeCall).join(', '), budget: budget === null ? '' : calls.length <= budget ? `≤ ${budget} ✓` : `> ${budget} ✗` });
      }
    };
    await measure('opened (adds the item, pins the status)', null);
    await w.addLabel(n, 'migration-complete');
    await measure('+migration-complete', BUDGET_STEP);
    await w.addLabel(n, 'account-team-notified');
    await measure('+account-team-notified', BUDGET_STEP);
    console.log('\nEvent path with the board on (project input, one token): API calls per run of dist/index.js\n');
    console.table(rows);
  } finally {
    await w.close();
  }
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
      const result = spawnSync(process.execPath, [file], { env: { PATH: process.env.PATH, GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'a/b', 'INPUT_GITHUB-TOKEN': 'x', INPUT_MODE: 'event' } });
      if (result.status !== 0 && file !== DIST) throw new Error(`${file} failed: ${result.stderr}`);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)] as number;
  };
  const action = time(DIST);
  const out = join(dir, 'out');
  const baseline = time(join(out, readdirSync(out).find((f) => /^index\.m?js$/.test(f)) as string));
  console.log('\nStart-up (median of 15 runs)\n');
  console.table([
    { bundle: 'dist/index.js', ms: action.toFixed(1) },
    { bundle: '@actions/core + @actions/github only', ms: baseline.toFixed(1) },
    { bundle: 'ratio', ms: (action / baseline).toFixed(2) },
  ]);
}

interface ScanFigures {
  wallMs: number;
  decisionMs: number;
  peakRssMb: number;
  engagements: number;
  stalled: number;
  writes: number;
}

/** N engagements, 5 % of them stalled; a first scan and a second one, each in a child process. */
async function scan(sizes: number[]): Promise<void> {
  const rows = [];
  const rss = new Map<number, number>();
  for (const n of sizes) {
    const w = await TestWorld.start();
    try {
      w.defineLabels();
      const DAY = 86_400_000;
      let stalled = 0;
      for (let i = 0; i < n; i++) {
        const old = i % 20 === 0;
        if (old) stalled++;
        const since = new Date(Date.now() - (old ? 30 : i % 10) * DAY).toISOString();
        // The stalled ones have been in the discussion for 30 days; the others wait for their migration.
        const fields = { customer: `Customer ${i}`, tenant: `t${i}.onmicrosoft.com`, region: ['EMEA', 'APJ', 'Americas'][i % 3] as string, fm: 'fm-alice' };
        if (old) w.seedEngagement(fields, { step: 'discussion', step_since: since }, ['migration-complete']);
        else w.seedEngagement(fields, { step: 'awaiting-migration', step_since: since });
      }
      for (const pass of ['first', 'second'] as const) {
        w.gh.resetLog();
        // Asynchronous: the stand-in answering the child lives in this process's event loop.
        const { stdout: out } = await run('npx', ['tsx', 'scripts/bench-scan.ts', w.gh.url, w.repo, w.gh.tokenFor(BOT)], { encoding: 'utf8', maxBuffer: 1 << 26 });
        const figures = JSON.parse(out.trim().split('\n').at(-1) as string) as ScanFigures;
        const calls = w.gh.requests.filter((r) => r.actor === BOT);
        const reads = calls.filter((c) => !c.write).length;
        const writes = calls.filter((c) => c.write).length;
        const commentPages = calls.filter((c) => c.path.endsWith('/issues/comments')).length;
        const comments = w.gh.issues(w.repo).reduce((sum, i) => sum + i.comments.length, 0);
        // Pages of engagements, pages of recent comments, identity and dashboard; and the engagements
        // the scan writes to read again before it writes, a batch of REREAD_BATCH per query.
        const rereads = calls.filter((c) => c.graphql?.name === 'ReadEngagements').length;
        const readBudget = Math.ceil(n / 100) + Math.max(1, Math.ceil(comments / 100)) + 2 + (pass === 'first' ? Math.ceil(stalled / REREAD_BATCH) : 0);
        const writeBudget = pass === 'first' ? stalled + 1 : 0;
        if (pass === 'first') rss.set(n, figures.peakRssMb);
        rows.push({
          N: n,
          scan: pass,
          reads: `${reads} (≤ ${readBudget} ${reads <= readBudget ? '✓' : '✗'})`,
          'comment pages': commentPages,
          're-read batches': rereads,
          writes: `${writes} (≤ ${writeBudget} ${writes <= writeBudget ? '✓' : '✗'})`,
          stalled: figures.stalled,
          'wall ms': figures.wallMs.toFixed(0),
          'decision core ms': figures.decisionMs.toFixed(0),
          'peak RSS MB': figures.peakRssMb.toFixed(1),
        });
      }
    } finally {
      await w.close();
    }
  }
  console.log(`\nScan: N engagements, 5 % stalled (reads budget ⌈N/100⌉ + ⌈C/100⌉ + 2 + ⌈W/${REREAD_BATCH}⌉, W the engagements written to, read again in batches first; first scan one write request per newly stalled + 1 dashboard; second scan no write)\n`);
  console.table(rows);
  const smallest = rss.get(Math.min(...sizes)) as number;
  const largest = rss.get(Math.max(...sizes)) as number;
  console.log(`Peak RSS at ${Math.max(...sizes)}: ${(largest / smallest).toFixed(2)}× that at ${Math.min(...sizes)} (budget 1.5× ${largest / smallest <= 1.5 ? '✓' : '✗'})`);
}

const sizes = process.argv.includes('--quick') ? [200, 1000] : [1000, 5000, 20000];
await eventPath('migration');
await eventPath('enablement');
await boardPath();
await scan(sizes);
await staleSideBySide();
startup();
