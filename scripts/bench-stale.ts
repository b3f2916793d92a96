// Our scheduled scan against actions/stale, side by side, on the same 300 engagements (30 newly
// stalled): the API calls of our first and second scan, counted from the GitHub stand-in's request
// log, and those of actions/stale configured as a team would to flag the same 30 engagements.
//
// Stale's figure is a call model derived from reading its source (cited call by call below) and,
// when STALE_DIST points at a built actions/stale `dist/index.js`, also the real action run as a
// child process against a stand-in seeded the same way. Stale's code is never part of this repo.
//
//   npx tsx scripts/bench-stale.ts                                   # alone
//   STALE_DIST=/tmp/stale-dist/index.js npx tsx scripts/bench-stale.ts
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BOT, TestWorld } from '../test/support/harness.js';
import type { IssueView, RequestLogEntry } from '../test/support/github-standin/index.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DAY = 86_400_000;

/** 300 engagements, every 10th stalled: the 30 the first scheduled run has to flag. */
export const ENGAGEMENTS = 300;
const STALLED_EVERY = 10;

/** The actions/stale commit whose source the model below was read from (and cites, line by line). */
export const STALE_COMMIT = '9461cb10066d1553762bac6a02599ab8c26b14dd';

/** actions/stale's inputs as a team would set them to flag engagements that sit still 14 days. */
export const STALE_TEAM_INPUTS: Readonly<Record<string, string>> = {
  'days-before-stale': '14',
  'days-before-close': '-1',
  'days-before-pr-stale': '-1',
  'only-labels': 'engagement',
  'stale-issue-label': 'stalled',
  'stale-issue-message': 'This engagement has not moved for 14 days. Is anything blocking it?',
  'operations-per-run': '1000',
};

/**
 * All of stale's inputs for one run: the team's, and action.yml's defaults for the others (the
 * runner applies those; a `node dist/index.js` run does not, and `stale-pr-label` is `required`).
 */
export function staleInputs(token: string): Record<string, string> {
  return {
    'repo-token': token,
    ...STALE_TEAM_INPUTS,
    'stale-pr-label': 'Stale',
    'close-issue-reason': 'not_planned',
    'remove-stale-when-updated': 'true',
    'exempt-all-milestones': 'false',
    'exempt-all-assignees': 'false',
    'exempt-draft-pr': 'false',
    'debug-only': 'false',
    ascending: 'false',
    'sort-by': 'created',
    'delete-branch': 'false',
    'enable-statistics': 'true',
    'ignore-updates': 'false',
    'include-only-assigned': 'false',
  };
}

// ---------------------------------------------------------------------------------------- seeding

/**
 * Seeds the engagements as `scripts/bench.ts` does: the stalled ones in the discussion for 30 days
 * (label migration-complete), the others awaiting their migration for 1-9 days. The stand-in sets
 * each issue's updated_at to its step_since, so "days since updated" (all stale can see) and "days
 * in step" (what our scan uses) agree: exactly the 30 are older than 14 days for both.
 */
export function seedEngagements(w: TestWorld, n = ENGAGEMENTS): number {
  w.defineLabels();
  let stalled = 0;
  for (let i = 0; i < n; i++) {
    const old = i % STALLED_EVERY === 0;
    if (old) stalled++;
    const since = new Date(Date.now() - (old ? 30 : i % STALLED_EVERY) * DAY).toISOString();
    const fields = { customer: `Customer ${i}`, tenant: `t${i}.onmicrosoft.com`, region: ['EMEA', 'APJ', 'Americas'][i % 3] as string, fm: 'fm-alice' };
    if (old) w.seedEngagement(fields, { step: 'discussion', step_since: since }, ['migration-complete']);
    else w.seedEngagement(fields, { step: 'awaiting-migration', step_since: since });
  }
  return stalled;
}

// ------------------------------------------------------------------------------------ our scan

interface Count {
  calls: number;
  reads: number;
  writes: number;
  /** Calls grouped by kind, e.g. `GET /issues ×3`. */
  detail: string;
}

function describeCall(r: RequestLogEntry): string {
  if (r.graphql) return `graphql ${r.graphql.operation}${r.graphql.name ? ` ${r.graphql.name}` : ''}`;
  return `${r.method} ${r.path.replace(/\/repos\/[^/]+\/[^/]+/, '').replace(/\/\d+(?=\/|$)/g, '/N')}`;
}

function grouped(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, c]) => (c > 1 ? `${k} ×${c}` : k)).join(', ');
}

function countLog(requests: readonly RequestLogEntry[], actor: string): Count {
  const calls = requests.filter((r) => r.actor === actor);
  const writes = calls.filter((c) => c.write).length;
  return { calls: calls.length, reads: calls.length - writes, writes, detail: grouped(calls.map(describeCall)) };
}

/** One scheduled scan of ours, in a child process as scripts/bench.ts runs it; its calls from the log. */
async function ourScan(w: TestWorld): Promise<Count & { stalled: number }> {
  w.gh.resetLog();
  // Asynchronous: the stand-in answering the child lives in this process's event loop.
  const { stdout } = await run('npx', ['tsx', 'scripts/bench-scan.ts', w.gh.url, w.repo, w.gh.tokenFor(BOT)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const figures = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { stalled: number };
  return { ...countLog(w.gh.requests, BOT), stalled: figures.stalled };
}

// ------------------------------------------------------------------------ actions/stale: model

/** An issue as actions/stale sees it, and what its runs change on it (the model's own state). */
interface StaleIssue {
  number: number;
  open: boolean;
  labels: string[];
  updatedAt: number;
  /** Timeline events (labeled, assigned, ...): listEvents pages through them 100 at a time. */
  events: number;
  comments: Array<{ bot: boolean; at: number; body: string }>;
  /** When the stale label was last added (the `labeled` event stale looks for), if ever. */
  staleLabeledAt: number | null;
}

interface ModelCall {
  call: string;
  write: boolean;
  /** Where in actions/stale (at STALE_COMMIT) the call is made. */
  source: string;
}

export interface StaleModelState {
  issues: StaleIssue[];
  /** Whether the state cache (`_state`) exists: only after a run that ran out of operations. */
  stateCacheExists: boolean;
}

const isBot = (login: string) => login === BOT || login.endsWith('[bot]');
// src/functions/clean-label.ts: labels compare lower-cased, without accents.
const cleanLabel = (l: string) => l.toLowerCase();

export function staleModelState(issues: readonly IssueView[]): StaleModelState {
  return {
    stateCacheExists: false,
    issues: issues.map((i) => ({
      number: i.number,
      open: i.state === 'open',
      labels: [...i.labels],
      updatedAt: i.updatedAt.getTime(),
      // The stand-in keeps no timeline; an engagement's is its labelings and assignments (far fewer than 100).
      events: i.labels.length + i.assignees.length,
      comments: i.comments.map((c) => ({ bot: isBot(c.author), at: c.updatedAt.getTime(), body: c.body })),
      staleLabeledAt: null,
    })),
  };
}

/**
 * One run of actions/stale (`days-before-close: -1`, no close label, no exemptions, no PRs): the
 * REST calls it makes, in order, each citing the line of stale's source that makes it. Applies the
 * run's writes to `state`, so that a second call models the next scheduled run.
 */
export function staleModelRun(state: StaleModelState, inputs: Record<string, string>, now = Date.now()): ModelCall[] {
  const calls: ModelCall[] = [];
  const o = {
    daysBeforeStale: Number(inputs['days-before-stale']),
    daysBeforeClose: Number(inputs['days-before-close']),
    onlyLabels: (inputs['only-labels'] ?? '').split(',').map((l) => l.trim()).filter(Boolean),
    staleLabel: inputs['stale-issue-label'] ?? 'Stale',
    staleMessage: inputs['stale-issue-message'] ?? '',
    operationsPerRun: Number(inputs['operations-per-run']),
    removeStaleWhenUpdated: inputs['remove-stale-when-updated'] !== 'false',
  };
  let operations = 0; // src/classes/stale-operations.ts: consumed; the run stops at operations-per-run
  const consume = () => operations++;
  const hasOperations = () => operations < o.operationsPerRun;
  const hasLabel = (i: StaleIssue, l: string) => i.labels.some((x) => cleanLabel(x) === cleanLabel(l));

  // src/main.ts:13 state.restore() → state/state.ts:65 → state-cache-storage.ts:105 checkIfCacheExists
  // → state-cache-storage.ts:36 client.rest.actions.getActionsCacheList (GET /actions/caches?key=_state).
  calls.push({ call: 'GET /actions/caches', write: false, source: 'src/classes/state/state-cache-storage.ts:36 (restore :105, via src/main.ts:13)' });
  // state-cache-storage.ts:113 cache.restoreCache only when the cache exists: the Actions cache
  // service (ACTIONS_CACHE_URL), not the REST API; not counted.

  // src/main.ts:17 issueProcessor.getRateLimit() → issues-processor.ts:707 client.rest.rateLimit.get().
  calls.push({ call: 'GET /rate_limit', write: false, source: 'src/main.ts:17 → src/classes/issues-processor.ts:707' });

  // src/main.ts:24 processIssues(): issues-processor.ts:110 getIssues(page) → :586 listForRepo
  // (state: open, per_page: 100, no label filter: every open issue and PR is listed, `only-labels` is
  // applied client-side at :272-296), one operation each (:585); pages until one comes back empty (:112).
  const open = state.issues.filter((i) => i.open);
  let finished = false;
  for (let page = 1; ; page++) {
    consume();
    calls.push({ call: 'GET /issues (per_page 100)', write: false, source: 'src/classes/issues-processor.ts:586 (getIssues, :110)' });
    const batch = open.slice((page - 1) * 100, page * 100);
    if (batch.length === 0) {
      finished = true; // :112-122: no more issues; :120 this.state.reset()
      break;
    }
    for (const issue of batch) {
      if (!hasOperations()) break; // :148
      // :153 state.isIssueProcessed: the state restored is empty after a finished run (:120, and
      // state-cache-storage.ts:83 saves nothing), so every issue is processed again on each run.
      if (!issue.open) continue; // :235 (closed); :241 locked: none
      if (!o.onlyLabels.every((l) => hasLabel(issue, l))) continue; // :272-296 only-labels
      // :326 _removeCloseLabel: no close-issue-label set → returns at :1303 without a call.
      // :369-447 exempt labels / any-of / milestones / assignees: none set. :452-464 draft PR: issues only.
      let isStale = hasLabel(issue, o.staleLabel); // src/classes/issue.ts:45
      let markedStaleThisRun = false;
      if (!isStale) {
        // :487 shouldBeStale = !_updatedSince(issue.updated_at, daysBeforeStale) (:39-45): stale
        // knows only "days since updated", not "days in step".
        const shouldBeStale = now - issue.updatedAt > o.daysBeforeStale * DAY;
        if (shouldBeStale && o.daysBeforeStale >= 0) {
          // :514 _markStale: :946 createComment (the stale message, when set, :940) and :964 addLabels.
          if (o.staleMessage) {
            consume();
            calls.push({ call: 'POST /issues/N/comments', write: true, source: 'src/classes/issues-processor.ts:946 (_markStale, :514)' });
            issue.comments.push({ bot: true, at: now, body: o.staleMessage });
          }
          consume();
          calls.push({ call: 'POST /issues/N/labels', write: true, source: 'src/classes/issues-processor.ts:964 (_markStale, :514)' });
          issue.labels.push(o.staleLabel);
          issue.staleLabeledAt = now;
          issue.events++;
          issue.updatedAt = now; // :937-938, and GitHub's own updated_at after the two writes
          isStale = true; // :515
          markedStaleThisRun = true; // :516
        }
      }
      if (!isStale) continue;
      // :545 _processStaleIssue, also for an issue marked stale a moment ago:
      // :736 getLabelCreationDate → :618-625 client.paginate(listEvents, per_page 100), one operation (:616).
      consume();
      for (let p = 0; p < Math.max(1, Math.ceil(issue.events / 100)); p++) {
        calls.push({ call: 'GET /issues/N/events (per_page 100)', write: false, source: 'src/classes/issues-processor.ts:618-625 (getLabelCreationDate, :736)' });
      }
      const markedStaleOn = issue.staleLabeledAt ?? issue.updatedAt; // :740
      // :745 _hasCommentsSince → :905 listIssueComments → :569 listComments(since), one operation (:567).
      consume();
      calls.push({ call: 'GET /issues/N/comments (since)', write: false, source: 'src/classes/issues-processor.ts:569 (_hasCommentsSince, :745 → :905)' });
      // :907-910: comments by a User (not a bot) other than the stale message.
      const commented = issue.comments.some((c) => !c.bot && c.at >= markedStaleOn && c.body.toLowerCase() !== o.staleMessage.toLowerCase());
      // :792-796: updated more than 15 s after the stale label (:799-817 then ignores updates that were
      // only the stale label's own `labeled` event; the model has no timeline, and here there are none).
      const updated = issue.updatedAt - markedStaleOn > 15_000;
      if (o.removeStaleWhenUpdated && (updated || commented) && !markedStaleThisRun) {
        // :834 _removeStaleLabel → :1127 removeLabel; labels-to-add/remove-when-unstale: none set.
        consume();
        calls.push({ call: 'DELETE /issues/N/labels/stalled', write: true, source: 'src/classes/issues-processor.ts:1127 (_removeStaleLabel, :834)' });
        issue.labels = issue.labels.filter((l) => cleanLabel(l) !== cleanLabel(o.staleLabel));
        issue.events++;
        issue.updatedAt = now;
        continue;
      }
      // :850 days-before-close < 0: nothing more (no close, so no :994/:1012/:1029 writes).
      if (o.daysBeforeClose >= 0) throw new Error('the model covers days-before-close: -1 only');
    }
    if (!hasOperations()) break; // :170-187: out of operations, the run ends here (state kept)
  }

  // src/main.ts:26 getRateLimit() again → issues-processor.ts:707.
  calls.push({ call: 'GET /rate_limit', write: false, source: 'src/main.ts:26 → src/classes/issues-processor.ts:707' });
  // src/main.ts:45 state.persist() → state/state.ts:60 → state-cache-storage.ts:77 checkIfCacheExists
  // → :36 getActionsCacheList; :53 deleteActionsCacheByKey when it exists; then :83 an empty state
  // (a finished run, :120) is not saved; a non-empty one goes to the cache service (:88, not REST).
  calls.push({ call: 'GET /actions/caches', write: false, source: 'src/classes/state/state-cache-storage.ts:36 (save :77, via src/main.ts:45)' });
  if (state.stateCacheExists) {
    calls.push({ call: 'DELETE /actions/caches?key=_state', write: true, source: 'src/classes/state/state-cache-storage.ts:53 (save, :78-80)' });
  }
  state.stateCacheExists = !finished;
  return calls;
}

function countModel(calls: ModelCall[]): Count {
  const writes = calls.filter((c) => c.write).length;
  return { calls: calls.length, reads: calls.length - writes, writes, detail: grouped(calls.map((c) => c.call)) };
}

// ------------------------------------------------------------------------- actions/stale: real

/** Endpoints actions/stale calls, probed on the stand-in; `required`: stale's run fails without it. */
const STALE_ENDPOINTS = [
  { path: (r: string) => `/repos/${r}/issues?state=open&per_page=100`, what: 'GET /repos/{o}/{r}/issues', required: true, why: 'src/classes/issues-processor.ts:586, error rethrown at :602' },
  { path: (r: string) => `/repos/${r}/issues/1/events?per_page=100`, what: 'GET /repos/{o}/{r}/issues/{n}/events', required: true, why: 'src/classes/issues-processor.ts:625, not caught: the run fails on its first stale issue' },
  { path: (r: string) => `/repos/${r}/issues/1/comments`, what: 'GET /repos/{o}/{r}/issues/{n}/comments', required: false, why: 'src/classes/issues-processor.ts:569, caught at :576 (as if no comments)' },
  { path: () => '/rate_limit', what: 'GET /rate_limit', required: false, why: 'src/classes/issues-processor.ts:707, caught at :709' },
  { path: (r: string) => `/repos/${r}/actions/caches?key=_state`, what: 'GET /repos/{o}/{r}/actions/caches', required: false, why: 'src/classes/state/state-cache-storage.ts:36, caught at :44 (as if no cache; GitHub answers 200)' },
];

interface Probe {
  missing: Array<{ what: string; required: boolean; why: string }>;
}

/** Which of stale's endpoints the stand-in answers 404 for (on an issue and repository that exist). */
async function probeStandIn(w: TestWorld, token: string): Promise<Probe> {
  const missing: Probe['missing'] = [];
  for (const e of STALE_ENDPOINTS) {
    const res = await fetch(`${w.gh.url}${e.path(w.repo)}`, { headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' } });
    await res.arrayBuffer();
    if (res.status === 404) missing.push({ what: e.what, required: e.required, why: e.why });
  }
  return { missing };
}

/** Runs actions/stale's `dist/index.js` once, as the runner would on a `schedule` event. */
export async function runRealStale(dist: string, apiUrl: string, repo: string, token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-stale-'));
  try {
    const eventPath = join(dir, 'event.json');
    writeFileSync(eventPath, '{}');
    writeFileSync(join(dir, 'output'), '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      TMPDIR: dir, // stale's state file goes under os.tmpdir()
      RUNNER_TEMP: dir,
      NO_PROXY: '127.0.0.1,localhost',
      GITHUB_ACTIONS: 'true',
      GITHUB_API_URL: apiUrl,
      GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: repo,
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: join(dir, 'output'),
    };
    for (const [name, value] of Object.entries(staleInputs(token))) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    try {
      const { stdout, stderr } = await run(process.execPath, [dist], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
      // core.setFailed sets exitCode 1; a caught error in _run ends with `::error::`.
      return { code: /^::error::/m.test(stdout) ? 1 : 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type RealResult = { ran: true; runs: [Count, Count] } | { ran: false; note: string };

/** The real actions/stale, twice, on a second world seeded like ours; skipped when the stand-in lacks what it needs. */
async function realStale(dist: string): Promise<RealResult> {
  if (!existsSync(dist)) return { ran: false, note: `STALE_DIST=${dist} does not exist` };
  const w = await TestWorld.start();
  try {
    seedEngagements(w);
    const token = w.gh.tokenFor(BOT); // stale runs with the workflow's GITHUB_TOKEN, as our action does
    const probe = await probeStandIn(w, token);
    const fatal = probe.missing.filter((m) => m.required);
    const list = (ms: Probe['missing']) => ms.map((m) => `${m.what} (${m.why})`).join('; ');
    if (fatal.length > 0) {
      const tolerated = probe.missing.filter((m) => !m.required);
      return {
        ran: false,
        note: `the GitHub stand-in lacks ${list(fatal)}${tolerated.length ? `; it also lacks, tolerated by stale, ${list(tolerated)}` : ''}`,
      };
    }
    const runs: Count[] = [];
    for (const _pass of [1, 2]) {
      w.gh.resetLog();
      const result = await runRealStale(dist, w.gh.url, w.repo, token);
      if (result.code !== 0) return { ran: false, note: `actions/stale failed (exit ${result.code}): ${(result.stdout + result.stderr).split('\n').filter((l) => /error|fail/i.test(l)).slice(0, 3).join(' | ')}` };
      runs.push(countLog(w.gh.requests, BOT));
    }
    const missingNote = probe.missing.length ? ` (answered 404, tolerated by stale: ${list(probe.missing)})` : '';
    if (missingNote) console.log(`Note: real actions/stale run on a stand-in that lacks some endpoints${missingNote}`);
    return { ran: true, runs: runs as [Count, Count] };
  } finally {
    await w.close();
  }
}

// ----------------------------------------------------------------------------------- the table

const fmt = (c: Count) => `${c.calls} (${c.reads}/${c.writes})`;

export async function staleSideBySide(): Promise<void> {
  const w = await TestWorld.start();
  let ours: Array<Count & { stalled: number }>;
  let model: [Count, Count];
  let rateLimitCalls: [number, number];
  let modelDetail: ModelCall[][];
  try {
    const stalled = seedEngagements(w);
    if (stalled !== ENGAGEMENTS / STALLED_EVERY) throw new Error(`seeded ${stalled} stalled engagements`);
    // Stale's model starts from the same issues, as they are before either tool runs.
    const state = staleModelState(w.gh.issues(w.repo));
    const inputs = staleInputs('(model)');
    const now = Date.now();
    modelDetail = [staleModelRun(state, inputs, now), staleModelRun(state, inputs, now)];
    const [m1, m2] = modelDetail as [ModelCall[], ModelCall[]];
    model = [countModel(m1), countModel(m2)];
    rateLimitCalls = [m1.filter((c) => c.call === 'GET /rate_limit').length, m2.filter((c) => c.call === 'GET /rate_limit').length];
    ours = [await ourScan(w), await ourScan(w)];
  } finally {
    await w.close();
  }

  const dist = process.env.STALE_DIST;
  const real: RealResult = dist ? await realStale(dist) : { ran: false, note: 'STALE_DIST not set' };

  const checks = [
    { run: 'first', limit: 1 / 2, limitText: '½' },
    { run: 'second', limit: 1 / 5, limitText: '⅕' },
  ];
  const rows = checks.map(({ run: name, limit, limitText }, k) => {
    const our = ours[k] as Count & { stalled: number };
    const m = model[k] as Count;
    const r = real.ran ? real.runs[k] : undefined;
    const against = r ?? m; // the real run's figure when there is one
    const ratio = our.calls / against.calls;
    return {
      run: `${name} (${k === 0 ? '30 newly stalled' : 'same 30 still stalled'})`,
      'ours calls (r/w)': fmt(our),
      'stale model (r/w)': fmt(m),
      'stale real (r/w)': r ? fmt(r) : '—',
      ratio: ratio.toFixed(3),
      check: `ours < ${limitText} stale ${ratio < limit ? '✓' : '✗'}`,
    };
  });

  console.log(`\nScheduled scan vs actions/stale: ${ENGAGEMENTS} engagements, ${ENGAGEMENTS / STALLED_EVERY} stalled 30 days (the others 1-9 days), API requests per run (reads/writes)\n`);
  console.table(rows);
  console.log(
    real.ran
      ? `Stale figure: real run of actions/stale (STALE_DIST=${dist}) against the stand-in, counted from its request log; ratio and check use it. Model from source at ${STALE_COMMIT.slice(0, 8)} shown beside it.`
      : `Stale figure: call model of actions/stale from its source at commit ${STALE_COMMIT} (no real run: ${real.note}).`,
  );
  const noRate = model.map((m, k) => m.calls - (rateLimitCalls[k] as number));
  console.log(
    `Stale's figure includes ${rateLimitCalls[0]} GET /rate_limit per run, which GitHub does not charge; without them (model): first ${(ours[0] as Count).calls}/${noRate[0]} = ${((ours[0] as Count).calls / (noRate[0] as number)).toFixed(3)}, second ${(ours[1] as Count).calls}/${noRate[1]} = ${((ours[1] as Count).calls / (noRate[1] as number)).toFixed(3)}.`,
  );
  console.log(`Stale configured as: ${Object.entries(STALE_TEAM_INPUTS).map(([k, v]) => `${k}: ${k === 'stale-issue-message' ? '(set)' : v}`).join(', ')} (action.yml defaults otherwise).`);
  console.log('\nWhere the calls go');
  console.table(
    ['first', 'second'].flatMap((name, k) => [
      { run: name, who: 'ours', calls: (ours[k] as Count).detail },
      { run: name, who: 'stale model', calls: (model[k] as Count).detail },
      ...(real.ran ? [{ run: name, who: 'stale real', calls: real.runs[k]?.detail ?? '' }] : []),
    ]),
  );
  const sources = new Map<string, string>();
  for (const c of modelDetail.flat()) sources.set(c.call, [...new Set([...(sources.get(c.call)?.split('; ') ?? []), c.source])].join('; '));
  console.log(`Stale model, call → source (actions/stale@${STALE_COMMIT.slice(0, 8)}):`);
  for (const [call, source] of sources) console.log(`  ${call}: ${source}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await staleSideBySide();
