// Scan mode (schedule, workflow_dispatch): every open engagement, a page at a time, decided from
// its front-matter and labels. Flags stalled engagements, repairs what dropped events left behind
// (labels and state that disagree, `/queue-moved` never answered), keeps the dashboard, and
// reports. Reads: one for the bot's identity, the pages of recent comments (one repository-wide
// read), the pages of engagements, one for the dashboard; plus one per engagement that needs a repair.
import { repoName, sameRepo, type Config, type RepoRef } from '../process/settings.js';
import { confirmationCommands, parseQueueMoved } from '../process/confirmation.js';
import { decide, type Decision } from '../core/decide.js';
import type { Effect, Write } from '../core/plan.js';
import type { IssueListItem } from '../github/port.js';
import { LabelSet } from '../process/labels.js';
import { sameLogin } from '../process/logins.js';
import { keys, markersIn } from '../process/markers.js';
import type { EngagementRead, TransferRequestView } from '../process/engagement-read.js';
import { engagementOfTransferRequest, parseIssueRef, readForDecision, readManyForDecision } from '../github/read-for-decision.js';
import { parseEngagement, type ParseResult } from '../process/frontmatter.js';
import { sendWrites, WritesRefused } from '../github/send-plan.js';
import { decideAndApply } from './decide-and-apply.js';
import { daysBetween, stallLimits, stallReason } from '../process/stall.js';
import { renderDashboard, renderDashboardTitle, type ScanFigures } from '../messages/dashboard.js';
import { finalStep, stepIndex } from '../process/playbook.js';
import type { RunContext } from './run-context.js';

const DAY = 86_400_000;

export interface ScanReport extends ScanFigures {
  effects: Effect[];
  decisionMs: number;
  dashboard: 'created' | 'updated' | 'unchanged' | 'off' | 'deferred';
}

/**
 * Issues whose recent comments need the engagement read in full: a `/queue-moved` nobody
 * answered, or two copies of one message of the bot's (two runs that raced), to delete the later.
 */
async function issuesToRead(ctx: RunContext, viewer: string, since: string): Promise<Set<string>> {
  const repos: RepoRef[] = [ctx.config.repo];
  if (!sameRepo(ctx.config.assignmentRepo, ctx.config.repo)) repos.push(ctx.config.assignmentRepo);
  const commands = new Map<string, string>();
  const answered = new Set<string>();
  const posted = new Set<string>();
  const copies = new Set<string>();
  for (const repo of repos) {
    for await (const page of ctx.gh.commentsSince(repo, since)) {
      for (const c of page) {
        const issue = `${repoName(repo)}#${c.issueNumber}`;
        if (sameLogin(c.author, viewer)) {
          const markers = markersIn(c.body);
          for (const key of markers) answered.add(key);
          const id = `${issue} ${markers[0] ?? ''}`;
          if (markers[0] && posted.has(id)) copies.add(issue);
          posted.add(id);
        } else if (parseQueueMoved(c.body, confirmationCommands(ctx.config))) {
          commands.set(keys.reply(c.id), issue);
        }
      }
    }
  }
  return new Set([...[...commands].filter(([key]) => !answered.has(key)).map(([, issue]) => issue), ...copies]);
}

/** The board's items as the scan read them once (null: no board, or one the run's token reads with each engagement). */
type BoardItems = Map<string, Record<string, string>> | { refused: string } | null;

/** What the page of issues says about an engagement, with the transfer request its front-matter records and its board item. */
function cheapObservation(item: IssueListItem, config: Config, parsed: ParseResult, board: BoardItems): EngagementRead {
  const recorded = parsed.ok ? parsed.bot?.transfer?.request : null;
  const target = recorded ? parseIssueRef(recorded, config.repo) : null;
  const transferRequest: TransferRequestView | undefined = target
    ? { repo: target.repo, number: target.number, url: item.url.replace(/\/issues\/\d+$/, `/issues/${target.number}`), state: 'open', comments: null }
    : undefined;
  return {
    issue: { repo: config.repo, number: item.number, title: item.title, url: item.url, state: item.state, stateReason: null, body: item.body, labels: item.labels, assignees: item.assignees, author: item.author },
    comments: null,
    transferRequest,
    confirmations: [],
    trigger: { kind: 'scan' },
    ...(board === null ? {} : { board: board instanceof Map ? onBoard(board, `${repoName(config.repo)}#${item.number}`) : board }),
  };
}

function onBoard(items: Map<string, Record<string, string>>, ref: string): { onBoard: boolean; values: Record<string, string> } {
  const values = items.get(ref.toLowerCase());
  return { onBoard: values !== undefined, values: values ?? {} };
}

/**
 * Engagements read again together, in one query: each carries its newest comments and its
 * sub-issues' comments, so a batch stays far below GitHub's 500,000-node limit of a query
 * (50 × about 5,300) and the 100 ids of `nodes(ids:)`.
 */
export const REREAD_BATCH = 50;

/** One scan's running figures, and what every engagement of it shares. */
interface ScanRun {
  ctx: RunContext;
  now: Date;
  report: ScanReport;
  /** Issues with a confirmation command nobody answered, or a message of the bot's posted twice. */
  pendingOn: Set<string>;
  canWrite: (n: number) => boolean;
  /** Engagements with something to write, waiting to be read again in one batch. */
  toReread: Array<{ item: IssueListItem; fm: string | null }>;
  warned: Set<string>;
  /** The board's items, read once, so an item removed or edited by hand is seen and put back. */
  board: BoardItems;
}

export async function runScanMode(ctx: RunContext): Promise<ScanReport> {
  const { config, gh, log } = ctx;
  const now = ctx.now();
  const report: ScanReport = { rows: [], invalid: [], stalled: 0, effects: [], writes: 0, deferred: 0, repaired: 0, decisionMs: 0, dashboard: config.dashboard ? 'unchanged' : 'off' };
  const viewer = await gh.viewer();
  const longestWait = Math.max(...config.playbooks.all.map((p) => stallLimits(p, config).handoff));
  const since = new Date(now.getTime() - (longestWait + 1) * DAY).toISOString();
  const run: ScanRun = { ctx, now, report, pendingOn: await issuesToRead(ctx, viewer, since), canWrite: (n) => !config.dryRun && report.writes + n <= config.maxWrites, toReread: [], warned: new Set(), board: await boardItems(ctx) };
  for await (const page of gh.openIssuesWithLabel(config.repo, config.labels.engagement)) {
    for (const item of page) {
      const labels = new LabelSet(item.labels, config);
      if (labels.has('engagement-dashboard') || labels.has('queue-transfer')) continue;
      const decision = scanEngagement(run, item);
      if (decision === 'reread') {
        if (run.toReread.length >= REREAD_BATCH) await settleBatch(run);
        continue;
      }
      for (const warning of decision.warnings) warnOnce(run, warning);
      reportRow(run, item, decision);
    }
  }
  await settleBatch(run);
  await answerElsewhere(run);
  if (config.dashboard) report.dashboard = await keepDashboard(ctx, report, run.canWrite);
  if (report.deferred > 0) log.warning(`Write cap reached (max-writes: ${config.maxWrites}): ${report.deferred} change(s) continue on the next run.`);
  return report;
}

/**
 * Decides from the page of issues, which costs nothing more. An engagement with anything to write
 * (a stall flag, a repair, an unanswered command) is read again in full first and decided as the
 * event path does: the page may be minutes old, and a write from a stale read could undo what
 * the FM or another run has just done.
 */
function scanEngagement(run: ScanRun, item: IssueListItem): Decision | 'reread' {
  const { ctx, report } = run;
  const { config } = ctx;
  // Parsed once: for the transfer request it records, then for the decision.
  const parsed = parseEngagement(item.body, config.playbooks);
  const cheap = cheapObservation(item, config, parsed, run.board);
  const started = performance.now();
  const decision = decide(cheap, { config, now: run.now }, parsed);
  report.decisionMs += performance.now() - started;
  const transfer = cheap.transferRequest;
  const own = [`${repoName(config.repo)}#${item.number}`, ...(transfer ? [`${repoName(transfer.repo)}#${transfer.number}`] : [])];
  const waitingCommand = own.some((key) => run.pendingOn.has(key));
  for (const key of own) run.pendingOn.delete(key);
  // An invalid engagement is only reported: its answer needs its comments, read by its own events.
  if (decision.outcome === 'invalid' || (!waitingCommand && decision.effects.length === 0)) return decision;
  run.toReread.push({ item, fm: decision.fields?.fm ?? null });
  return 'reread';
}

/** Reads the waiting engagements again in one query, then decides and writes each (one request each). */
async function settleBatch(run: ScanRun): Promise<void> {
  const waiting = run.toReread.splice(0);
  if (waiting.length === 0) return;
  const { ctx, report } = run;
  const readings = await readManyForDecision(ctx.gh, ctx.config, waiting.map(({ item, fm }) => ({ nodeId: item.nodeId, number: item.number, fm })));
  for (const [i, { item }] of waiting.entries()) {
    const reading = readings[i];
    if (!reading) continue; // gone since the page was read (deleted, transferred)
    let decision: Decision;
    try {
      const settled = await decideAndApply(ctx, reading, run.now, run.canWrite);
      report.decisionMs += settled.decisionMs;
      if (settled.effects.length > 0) report.repaired++;
      count(run, settled.effects, settled.applied, settled.requests);
      decision = settled.decision;
    } catch (error) {
      // One engagement GitHub refused stops no other: warned, and the next scan tries again.
      if (!(error instanceof WritesRefused)) throw error;
      ctx.log.warning(`${repoName(ctx.config.repo)}#${item.number}: ${error.message}`);
      decision = decide(reading.read, { config: ctx.config, now: run.now });
    }
    for (const warning of decision.warnings) warnOnce(run, warning);
    reportRow(run, item, decision);
  }
}

/**
 * Commands left unanswered on issues that are neither an engagement nor the request its
 * front-matter records: a request overlapping runs opened twice. Each is read to find its
 * engagement, which is then decided and written as its own event would.
 */
async function answerElsewhere(run: ScanRun): Promise<void> {
  const { ctx } = run;
  const seen = new Set<string>();
  for (const key of run.pendingOn) {
    const target = parseIssueRef(key, ctx.config.repo);
    const read = target ? await ctx.gh.readTransferRequest(target) : null;
    const engagement = read ? engagementOfTransferRequest(read.request, read.viewer) : null;
    if (!engagement || !sameRepo(engagement.repo, ctx.config.repo) || seen.has(String(engagement.number))) continue;
    seen.add(String(engagement.number));
    const reading = await readForDecision(ctx.gh, ctx.config, engagement, { kind: 'scan' });
    if (!reading || reading.read.issue.state !== 'open') continue;
    try {
      const settled = await decideAndApply(ctx, reading, run.now, run.canWrite);
      run.report.decisionMs += settled.decisionMs;
      if (settled.effects.length > 0) run.report.repaired++;
      count(run, settled.effects, settled.applied, settled.requests);
    } catch (error) {
      if (!(error instanceof WritesRefused)) throw error;
      ctx.log.warning(`${repoName(engagement.repo)}#${engagement.number}: ${error.message}`);
    }
  }
}

/** The board's items, when one is configured (with the board's own token when it has one). */
async function boardItems(ctx: RunContext): Promise<BoardItems> {
  const { config } = ctx;
  if (!config.project) return null;
  return (ctx.boardGh ?? ctx.gh).readBoardItems(config.project);
}

/** A warning said once a run (the board refused is the same for every engagement). */
function warnOnce(run: ScanRun, warning: string): void {
  if (run.warned.has(warning)) return;
  run.warned.add(warning);
  run.ctx.log.warning(warning);
}

function count(run: ScanRun, effects: Effect[], applied: boolean, requests: number): void {
  if (applied) run.report.writes += requests;
  else if (!run.ctx.config.dryRun) run.report.deferred += effects.length;
  run.report.effects.push(...effects);
}

/** The engagement's line in the job summary and the dashboard (or among the invalid ones). */
function reportRow(run: ScanRun, item: IssueListItem, decision: Decision): void {
  const { report, now } = run;
  const { config } = run.ctx;
  if (decision.outcome === 'invalid') {
    report.invalid.push({ number: item.number, url: item.url, problems: decision.problems });
    return;
  }
  const state = decision.state;
  const playbook = config.playbooks.all.find((p) => p.name === decision.playbook);
  if (!state || !decision.fields || !playbook || state.step === finalStep(playbook)) return;
  const onHold = new LabelSet(item.labels, config).has('on-hold');
  const stalled = !onHold && (state.stalled_since !== null || stallReason(state, now, playbook, config) !== null);
  if (stalled) report.stalled++;
  report.rows.push({
    number: item.number,
    url: item.url,
    customer: decision.fields.customer,
    region: decision.fields.region,
    step: state.step,
    stepOrder: stepIndex(playbook, state.step),
    playbook: playbook.name,
    daysInStep: daysBetween(state.step_since, now),
    stalled,
    fm: decision.fields.fm,
  });
}

/** The dashboard issue: created once, rewritten only when its content changes. */
async function keepDashboard(ctx: RunContext, report: ScanReport, canWrite: (n: number) => boolean): Promise<ScanReport['dashboard']> {
  const { config, gh } = ctx;
  const body = renderDashboard(ctx.messages, config, report);
  const existing = await gh.findIssueWithLabel(config.repo, config.labels['engagement-dashboard']);
  if (existing && existing.body === body) return 'unchanged';
  const effect: Effect = existing
    ? { kind: 'update-body', target: { repo: config.repo, number: existing.number }, body, why: 'dashboard' }
    : { kind: 'create-issue', repo: config.repo, title: renderDashboardTitle(ctx.messages, config), body, labels: [config.labels['engagement-dashboard']] };
  report.effects.push(effect);
  if (!canWrite(1)) {
    if (!config.dryRun) report.deferred += 1;
    return 'deferred';
  }
  await sendWrites(gh, [effect as Write]);
  report.writes += 1;
  return existing ? 'updated' : 'created';
}
