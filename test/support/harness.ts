// A small world for the tests: a GitHub stand-in with a ticket repository, the people of the
// process (an FM, the assignment team, an outsider), helpers for people's actions over REST as a
// person would make them, and two ways to run the action on the events those actions produce:
// in-process through the real Octokit adapter, or as `dist/index.js` in a child process with the
// runner's environment.
import { builtInCatalog } from '../../src/files/playbook-catalog.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { parseConfig, type Config } from '../../src/config.js';
import { OctokitGitHub, createOctokit } from '../../src/github/octokit.js';
import type { Effect } from '../../src/core/plan.js';
import type { BotState } from '../../src/process/engagement.js';
import { parseEngagement, renderBody } from '../../src/process/frontmatter.js';
import { marker } from '../../src/process/markers.js';
import { movesKey } from '../../src/core/record.js';
import { runEventMode, type EventReport } from '../../src/modes/event.js';
import { runScanMode, type ScanReport } from '../../src/modes/scan.js';
import { runSetupMode } from '../../src/modes/setup.js';
import { loadMessages, type Messages } from '../../src/files/templates.js';
import { startGitHubStandIn, type GitHubStandIn, type StandInEvent } from './github-standin/index.js';

export const BOT = 'github-actions[bot]';
/** The text of the entry message seeded engagements carry. */
export const SEEDED_ENTRY = '(seeded: the message of the step the engagement is in)';
export const SEEDED_STATUS = '(seeded: the live status of the engagement)';
export const FM = 'fm-alice';
export const ASSIGNER = 'assign-bob';
export const OUTSIDER = 'mallory';
export const REPO = 'contoso-ft/engagements';
export const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export function frontMatter(fields: Record<string, string>, rest = '\nFree notes by the FM.\n'): string {
  const lines = Object.entries(fields).map(([k, v]) => (v.startsWith('\n') ? `${k}:${v}` : `${k}: ${v}`));
  return `---\n${lines.join('\n')}\n---\n${rest}`;
}

/** The migration playbook's steps by their English names, as a board's Step options list them. */
export const STEP_NAMES = ['awaiting migration', 'preparation', 'discussion', 'follow-up', 'disengagement', 'completed'];

/** A board as a lead sets it up for the bot: its five fields (the steps and regions in English). */
export function addEngagementBoard(gh: GitHubStandIn, owner: string, number: number, title = 'Engagements'): string {
  return gh.addProject(owner, number, title, [
    { name: 'Step', dataType: 'SINGLE_SELECT', options: STEP_NAMES },
    { name: 'Region', dataType: 'SINGLE_SELECT', options: ['Americas', 'APJ', 'EMEA'] },
    { name: 'FM', dataType: 'TEXT' },
    { name: 'Step since', dataType: 'DATE' },
    { name: 'Next action date', dataType: 'DATE' },
  ]);
}

export const WITH_ACCOUNT_TEAM = {
  customer: 'Contoso Ltd',
  tenant: 'contoso.onmicrosoft.com',
  region: 'EMEA',
  fm: FM,
  account_team: '\n  - {name: Ana Souza, email: ana@contoso.com}\n  - atu@contoso.com',
  services: '[Exchange Online, SharePoint Online]',
  completed_activities: '\n  - Mailbox migration\n  - Teams enablement',
};

export const WITHOUT_ACCOUNT_TEAM = {
  customer: 'Fabrikam',
  tenant: 'fabrikam.onmicrosoft.com',
  region: 'Américas',
  fm: FM,
};

let worldCount = 0;

export interface HeldRun {
  /** Resolves once the run stands before its k-th write (or has ended without one). */
  held: Promise<void>;
  release(): void;
  done: Promise<unknown>;
  /** Writes the run has started so far. */
  writes(): number;
}

/** Counts a run's writes (REST methods other than GET, GraphQL mutations) and stops before the k-th. */
class Hold {
  writes = 0;
  private open: () => void = () => undefined;
  private reachedNow: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  readonly reached = new Promise<void>((resolve) => (this.reachedNow = resolve));
  constructor(private readonly k: number) {}
  async beforeRequest(options: { method: string; url: string; query?: string }): Promise<void> {
    const write = options.url.endsWith('/graphql') ? /^\s*mutation\b/.test(options.query ?? '') : options.method !== 'GET';
    if (!write) return;
    this.writes++;
    if (this.writes !== this.k) return;
    this.reachedNow();
    await this.gate;
  }
  release(): void {
    this.open();
  }
}

export class TestWorld {
  private static messages: Messages | null = null;
  readonly people = new Map<string, Octokit>();
  private handled = 0;
  readonly id = `world-${++worldCount}-${process.pid}`;

  private constructor(
    readonly gh: GitHubStandIn,
    readonly repo: string,
  ) {}

  static async start(options: { repo?: string; team?: boolean } = {}): Promise<TestWorld> {
    const gh = await startGitHubStandIn();
    const repo = options.repo ?? REPO;
    gh.addRepo(repo);
    gh.addUser(BOT, { type: 'Bot' });
    for (const login of [FM, ASSIGNER, OUTSIDER]) gh.addUser(login);
    gh.addCollaborator(repo, FM, 'write');
    gh.addCollaborator(repo, ASSIGNER, 'write');
    gh.addCollaborator(repo, OUTSIDER, 'read');
    if (options.team !== false) gh.addTeam(repo.split('/')[0] as string, 'assignment', [ASSIGNER]);
    const world = new TestWorld(gh, repo);
    for (const login of [FM, ASSIGNER, OUTSIDER]) world.people.set(login, new Octokit({ auth: gh.tokenFor(login), baseUrl: gh.url }));
    return world;
  }

  close(): Promise<void> {
    return this.gh.close();
  }

  /** An Octokit acting as `login` (a person of the world), for actions the helpers above do not cover. */
  as(login: string): Octokit {
    const octokit = this.people.get(login);
    if (!octokit) throw new Error(`no person ${login}`);
    return octokit;
  }

  private get ownerRepo() {
    const [owner, repo] = this.repo.split('/') as [string, string];
    return { owner, repo };
  }

  async openEngagement(body: string, options: { by?: string; labels?: string[]; assignees?: string[]; title?: string } = {}): Promise<number> {
    const { data } = await this.as(options.by ?? FM).rest.issues.create({
      ...this.ownerRepo,
      title: options.title ?? 'Engagement completion',
      body,
      labels: options.labels ?? ['engagement'],
      assignees: options.assignees ?? [FM],
    });
    return data.number;
  }

  async addLabel(number: number, label: string, by = FM): Promise<void> {
    await this.as(by).rest.issues.addLabels({ ...this.ownerRepo, issue_number: number, labels: [label] });
  }

  async removeLabel(number: number, label: string, by = FM): Promise<void> {
    await this.as(by).rest.issues.removeLabel({ ...this.ownerRepo, issue_number: number, name: label });
  }

  async comment(number: number, body: string, by = ASSIGNER): Promise<void> {
    await this.as(by).rest.issues.createComment({ ...this.ownerRepo, issue_number: number, body });
  }

  async editBody(number: number, body: string, by = FM): Promise<void> {
    await this.as(by).rest.issues.update({ ...this.ownerRepo, issue_number: number, body });
  }

  async unassign(number: number, login: string, by = FM): Promise<void> {
    await this.as(by).rest.issues.removeAssignees({ ...this.ownerRepo, issue_number: number, assignees: [login] });
  }

  async closeIssue(number: number, by = FM): Promise<void> {
    await this.as(by).rest.issues.update({ ...this.ownerRepo, issue_number: number, state: 'closed' });
  }

  async reopen(number: number, by = FM): Promise<void> {
    await this.as(by).rest.issues.update({ ...this.ownerRepo, issue_number: number, state: 'open' });
  }

  issue(number: number) {
    return this.gh.issue(this.repo, number);
  }

  /** Events a workflow would receive since the last call: GITHUB_TOKEN's own writes trigger nothing. */
  newEvents(): StandInEvent[] {
    const all = this.gh.events.slice(this.handled);
    this.handled = this.gh.events.length;
    return all.filter((e) => e.actor !== BOT && (e.name === 'issues' || e.name === 'issue_comment'));
  }

  inputs(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      'github-token': this.gh.tokenFor(BOT),
      'assignment-team': `${this.repo.split('/')[0]}/assignment`,
      timezone: 'UTC',
      ...overrides,
    };
  }

  config(overrides: Record<string, string> = {}): Config {
    const inputs = this.inputs(overrides);
    return parseConfig((name) => inputs[name] ?? '', { GITHUB_REPOSITORY: this.repo });
  }

  /** Runs the event path in this process, through the real Octokit adapter over HTTP. */
  async runInProcess(event: StandInEvent, overrides: Record<string, string> = {}, now: () => Date = () => new Date()): Promise<EventReport> {
    return runEventMode(this.context(overrides, now), event.name, event.payload);
  }

  /** In-process runs are unpaced: a test makes many short runs; dist/index.js (e2e) keeps GitHub's pacing. */
  private context(overrides: Record<string, string>, now: () => Date = () => new Date(), hold?: Hold) {
    const config = this.config(overrides);
    TestWorld.messages ??= loadMessages();
    const octokit = createOctokit(config.token, { baseUrl: this.gh.url, throttleId: this.id, pacing: 'none' });
    if (hold) octokit.hook.before('request', (options) => hold.beforeRequest(options as { method: string; url: string; query?: string }));
    return { config, gh: new OctokitGitHub(octokit), messages: TestWorld.messages, now, log: { info: () => undefined, warning: () => undefined } };
  }

  /**
   * Starts a run (an event run, or a scan when `event` is null) that stops just before its k-th
   * write (1-based) until released; `held` resolves when it stops there, or when it ends first.
   */
  startHeld(event: StandInEvent | null, k: number, overrides: Record<string, string> = {}): HeldRun {
    const hold = new Hold(k);
    const ctx = this.context(overrides, () => new Date(), hold);
    const done = event ? runEventMode(ctx, event.name, event.payload) : runScanMode(ctx);
    const ended = done.then(() => undefined, () => undefined);
    return { held: Promise.race([hold.reached, ended]), release: () => hold.release(), done, writes: () => hold.writes };
  }

  /** Runs the scheduled scan in this process, through the real Octokit adapter. */
  async runScan(overrides: Record<string, string> = {}, now: () => Date = () => new Date()): Promise<ScanReport> {
    return runScanMode(this.context(overrides, now));
  }

  /** Runs `mode: setup` in this process. */
  async runSetup(overrides: Record<string, string> = {}): Promise<Effect[]> {
    const ctx = this.context(overrides);
    return runSetupMode(ctx.config, ctx.gh);
  }

  /** An engagement already tracked by the bot, seeded directly (no events): for scans of many. */
  seedEngagement(fields: Record<string, string>, state: Partial<BotState> & { step: string; step_since: string }, labels: string[] = []): number {
    const parsed = parseEngagement(frontMatter(fields), builtInCatalog());
    if (!parsed.ok) throw new Error('invalid seed front-matter');
    const full: BotState = { recorded: { workload_ready: null }, tasks: { task_4060: 'pending' }, next_action_date: null, transfer: null, stalled_since: null, completed_at: null, history: [{ at: state.step_since, by: FM, from: null, to: state.step, via: 'seed' }], ...state };
    const since = new Date(Date.parse(state.step_since));
    const n = this.gh.seedIssue(this.repo, { title: `Engagement ${fields.customer}`, body: renderBody(parsed.source, full), author: FM, labels: ['engagement', ...labels], assignees: [FM], createdAt: since, updatedAt: since });
    // The message the bot posted when the engagement entered its step, as it would have.
    const entry = full.history.filter((h) => h.at === full.step_since);
    this.gh.seedComment(this.repo, n, { author: BOT, body: `${SEEDED_ENTRY}\n\n${marker(`step/${full.step}/1`)}\n${marker(movesKey(entry))}\n`, createdAt: since });
    // And its live status, pinned, as the bot keeps it (what it says is rewritten on the next move).
    this.gh.seedComment(this.repo, n, { author: BOT, body: `${SEEDED_STATUS}\n\n${marker('status')}\n${marker('status-view/seeded')}\n`, createdAt: since, pinned: true });
    return n;
  }

  /** Runs `dist/index.js` as the Actions runner would, with INPUT_* and GITHUB_* variables. */
  async runDist(event: StandInEvent, overrides: Record<string, string> = {}, eventName = event.name): Promise<DistRun> {
    return runDist(this.gh.url, this.repo, eventName, event.payload, this.inputs(overrides));
  }

  /** Delivers every pending event, one run each, in order (as a per-issue concurrency group would). */
  async deliver(runner: 'dist' | 'in-process' = 'in-process', overrides: Record<string, string> = {}): Promise<void> {
    for (;;) {
      const events = this.newEvents();
      if (events.length === 0) return;
      for (const event of events) {
        if (runner === 'dist') {
          const run = await this.runDist(event, overrides);
          if (run.code !== 0) throw new Error(`action failed on ${event.name}.${event.action}: ${run.stdout}\n${run.stderr}`);
        } else {
          await this.runInProcess(event, overrides);
        }
      }
    }
  }

  /** Creates the action's labels, as `mode: setup` does. */
  defineLabels(repo = this.repo): void {
    for (const label of ['engagement', 'migration-complete', 'account-team-notified', 'workload-ready', 'workload-not-ready', 'follow-up-sent', 'task-4060-done', 'stalled', 'queue-transfer']) {
      this.gh.addLabelDefinition(repo, label);
    }
  }

  /**
   * Everything a person sees in the repository, with times and ids made neutral so that two
   * worlds that went through the same story compare equal.
   */
  snapshot(): unknown {
    const times = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, 'T');
    // The moves a comment records are compared as what they say, without their times.
    const neutral = (text: string) =>
      times(text)
        .replace(/reply\/\d+|confirmed\/\d+|verdict\/\d+/g, (m) => m.replace(/\d+/, 'N'))
        .replace(/moves\/([A-Za-z0-9+/]+)/g, (_, b64: string) => `moves/${times(Buffer.from(b64, 'base64').toString('utf8'))}`);
    return this.gh.issues(this.repo).map((i) => ({
      number: i.number,
      title: i.title,
      state: i.state,
      stateReason: i.stateReason,
      labels: [...i.labels].sort(),
      assignees: [...i.assignees].sort(),
      parent: i.parent,
      body: neutral(i.body),
      // What a reader sees of each comment: who, what, and whether it is folded away, pinned or has reactions.
      comments: i.comments.map((c) => `${c.minimized ? `[${c.minimized}] ` : ''}${c.pinned ? '[pinned] ' : ''}${c.author}: ${neutral(c.body)}${c.reactions.length ? ` [${c.reactions.map((r) => `${r.content} by ${r.user}`).join(', ')}]` : ''}`),
    }));
  }

  /** The conversation on an issue as a reader sees it: author and body of each comment. */
  thread(number: number): Array<{ author: string; body: string }> {
    return this.issue(number).comments.map((c) => ({ author: c.author, body: c.body }));
  }
}

export interface DistRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] as string);
    if (!m) continue;
    const [, name, delimiter] = m as unknown as [string, string, string];
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
    outputs[name] = value.join('\n');
  }
  return outputs;
}

/** Runs dist/index.js once; `extra` adds environment variables or a module to preload (tracing). */
export function runDist(
  apiUrl: string,
  repo: string,
  eventName: string,
  payload: unknown,
  inputs: Record<string, string>,
  extra: { env?: Record<string, string>; preload?: string } = {},
): Promise<DistRun> {
  const dir = mkdtempSync(join(tmpdir(), 'engagement-bot-run-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    return runIn(dir, apiUrl, repo, eventName, payload, inputs, extra).finally(removeDir);
  } catch (error) {
    removeDir();
    throw error;
  }
}

function runIn(dir: string, apiUrl: string, repo: string, eventName: string, payload: unknown, inputs: Record<string, string>, extra: { env?: Record<string, string>; preload?: string }): Promise<DistRun> {
  const eventPath = join(dir, 'event.json');
  const outputPath = join(dir, 'output');
  const summaryPath = join(dir, 'summary');
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: repo,
    GITHUB_API_URL: apiUrl,
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: dir,
    // The action's own temporary files, if it ever makes any, land where the tests' temp check looks.
    TMPDIR: tmpdir(),
    ...extra.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const args = extra.preload ? ['--import', extra.preload, DIST] : [DIST];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      try {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
          outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
          summary: readFileSync(summaryPath, 'utf8'),
        });
      } catch (failure) {
        reject(failure as Error);
      }
    });
  });
}
