// Checks the templates a maintainer overrides (`templates-path`) before the run writes anything:
// a walk of every playbook on sample engagements, in memory, through the real decision core,
// renders every message with the values it really gets, so a template naming a value its message
// does not have is refused at start. The tests use the same walk to render every template.
import type { Config } from '../process/settings.js';
import { confirmationCommands, parseQueueMoved } from '../process/confirmation.js';
import { decide } from '../core/decide.js';
import type { Effect, Write } from '../core/plan.js';
import { renderWrite } from '../github/send-plan.js';
import type { Locale } from '../process/engagement.js';
import { keys, markersIn } from '../process/markers.js';
import type { Authorisation, CommentView, ConfirmationAttempt, EngagementRead, Trigger } from '../process/engagement-read.js';
import { existsSync } from 'node:fs';
import { LOCALES } from '../process/engagement.js';
import { finalStep, type Playbook } from '../process/playbook.js';
import { queuesOf } from '../process/queues.js';
import { TemplateError, templateFiles, unknownOverrideFiles, type MessageName, type Messages } from '../files/templates.js';

const START = Date.parse('2026-11-25T10:00:00.000Z');
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();

export interface Rendered {
  name: MessageName;
  values: object;
  text: string;
}

/** What the effects make of an engagement as read, as GitHub would apply them: what the walk's next decision reads. */
export function readAfter(o: EngagementRead, effects: Write[], when: string, bot: string, ids: { next: number }): EngagementRead {
  const next: EngagementRead = structuredClone(o);
  const fold = (s: string) => s.toLowerCase();
  const onEngagement = (target: { repo: { owner: string; name: string }; number: number }) =>
    target.repo.owner === next.issue.repo.owner && target.repo.name === next.issue.repo.name && target.number === next.issue.number;
  for (const e of effects) {
    const t = next.transferRequest;
    switch (e.kind) {
      case 'open-transfer-request':
        next.transferRequest = { repo: e.repo, number: next.issue.number + 1, url: next.issue.url.replace(/\d+$/, String(next.issue.number + 1)), state: 'open', comments: [] };
        break;
      case 'update-body':
        if (onEngagement(e.target)) next.issue.body = e.body;
        break;
      case 'comment': {
        const c: CommentView = { id: ++ids.next, nodeId: `IC_${ids.next}`, author: bot, byBot: true, body: e.body, createdAt: when, url: `${next.issue.url}#issuecomment-${ids.next}` };
        if (onEngagement(e.target)) next.comments?.push(c);
        else t?.comments?.push(c);
        break;
      }
      case 'edit-comment':
      case 'minimize-comment':
      case 'add-reaction': {
        const all = [...(next.comments ?? []), ...(t?.comments ?? [])];
        const c = all.find((x) => x.id === e.commentId);
        if (c && e.kind === 'edit-comment') c.body = e.body;
        if (c && e.kind === 'minimize-comment') c.minimized = true;
        if (c && e.kind === 'add-reaction') c.reactedByBot = [...(c.reactedByBot ?? []), e.content];
        break;
      }
      case 'add-labels':
        for (const l of e.labels) if (!next.issue.labels.some((x) => fold(x) === fold(l))) next.issue.labels.push(l);
        break;
      case 'remove-label':
        next.issue.labels = next.issue.labels.filter((x) => fold(x) !== fold(e.label));
        break;
      case 'add-assignees':
        for (const l of e.logins) if (!next.issue.assignees.includes(l)) next.issue.assignees.push(l);
        break;
      case 'remove-assignees':
        next.issue.assignees = next.issue.assignees.filter((a) => !e.logins.includes(a));
        break;
      case 'close-issue':
      case 'reopen-issue': {
        const state = e.kind === 'close-issue' ? 'closed' : 'open';
        if (onEngagement(e.target)) next.issue.state = state;
        else if (t) t.state = state;
        break;
      }
      default:
        break;
    }
  }
  // The shell passes only the commands nobody answered yet.
  const answered = new Set([...(next.comments ?? []), ...(next.transferRequest?.comments ?? [])].filter((c) => c.byBot).flatMap((c) => markersIn(c.body)));
  next.confirmations = next.confirmations.filter((a) => !answered.has(keys.reply(a.commentId)));
  return next;
}

const SAMPLES = {
  withAccountTeam: {
    customer: 'Contoso Ltd',
    tenant: 'contoso.onmicrosoft.com',
    region: 'EMEA',
    account_team: '[ana@contoso.com, {name: Bo Li, email: bo@contoso.com}]',
    services: '[Exchange Online]',
    completed_activities: '[Mailbox migration, Teams enablement]',
  },
  withoutAccountTeam: { customer: 'Fabrikam', tenant: 'fabrikam.com', region: 'Americas' },
};

/** One sample engagement's story: each step of a decision applied as GitHub would. */
class Walk {
  private readonly ids = { next: 1000 };
  private readonly fm = 'fm-sample';
  private readonly bot = 'engagement-bot[bot]';
  constructor(
    readonly config: Config,
    private readonly messages: Messages,
    private readonly locale: Locale,
    readonly playbook: Playbook,
  ) {}

  body(fields: Record<string, string>, rest = '\nNotes.\n'): string {
    const all = { ...fields, fm: this.fm, locale: this.locale, playbook: this.playbook.name };
    return `---\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n${rest}`;
  }

  start(text: string, assignees: string[] = [this.fm]): EngagementRead {
    const { repo } = this.config;
    const issue = { repo, number: 1, title: 'Engagement', url: `https://github.com/${repo.owner}/${repo.name}/issues/1`, state: 'open' as const, stateReason: null, body: text, labels: [this.config.labels.engagement], assignees, author: this.fm };
    return this.run({ issue, comments: [], transferRequest: null, confirmations: [], trigger: { kind: 'issues', action: 'opened', sender: this.fm } }, 0);
  }

  run(o: EngagementRead, minute: number): EngagementRead {
    const context = { config: { ...this.config, locale: this.locale, dryRun: true }, now: new Date(at(minute)) };
    const rendered = (effects: Effect[]) => effects.map((e) => renderWrite(this.messages, e));
    let current = o;
    let decision = decide(current, context);
    if (decision.opensTransferRequest) {
      current = readAfter(current, rendered(decision.effects), at(minute), this.bot, this.ids);
      decision = decide(current, context);
    }
    return readAfter(current, rendered(decision.effects), at(minute), this.bot, this.ids);
  }

  label(o: EngagementRead, add: string[], remove: string[], minute: number): EngagementRead {
    const names = (list: string[]) => list.map((l) => this.config.labels[l] ?? l);
    const labels = o.issue.labels.filter((l) => !names(remove).includes(l)).concat(names(add));
    const trigger: Trigger = add.length ? { kind: 'issues', action: 'labeled', sender: this.fm, label: names(add).at(-1) as string } : { kind: 'issues', action: 'unlabeled', sender: this.fm, label: names(remove)[0] as string };
    return this.run({ ...o, issue: { ...o.issue, labels }, trigger }, minute);
  }

  command(o: EngagementRead, text: string, by: string, on: ConfirmationAttempt['on'], minute: number, authorisation: Authorisation = { ok: true, via: 'team' }): EngagementRead {
    const id = ++this.ids.next;
    const comment: CommentView = { id, nodeId: `IC_${id}`, author: by, byBot: false, body: text, createdAt: at(minute), url: `${o.issue.url}#issuecomment-${id}` };
    const queue = parseQueueMoved(text, confirmationCommands(this.config))?.queue ?? null;
    const attempt: ConfirmationAttempt = { commentId: id, on, author: by, createdAt: comment.createdAt, url: comment.url, queue, authorisation };
    return this.run({ ...o, confirmations: [attempt], trigger: { kind: 'issue_comment', action: 'created', sender: by, commentId: id } }, minute);
  }

  /** The first label of each gate, in order; `choose` picks among alternatives. */
  gateLabels(choose: number): string[] {
    return this.playbook.steps.flatMap((s) => (s.gate ? [s.gate.labels[Math.min(choose, s.gate.labels.length - 1)] as string] : []));
  }
}

/** The whole process for one sample: out of order, every gate, an undo, refusals, completion, reopening. */
function walkThrough(w: Walk, fields: Record<string, string>, choose: number, onRequest: boolean): void {
  const gates = w.gateLabels(choose);
  const handoffGate = gates.at(-1) as string;
  const command = w.playbook.handoff.command;
  let o = w.start(w.body(fields), []);
  o = w.label(o, [gates[2] as string], [], 1); // out of order
  o = w.label(o, [gates[0] as string], [], 2);
  o = w.run({ ...o, issue: { ...o.issue, assignees: [] }, trigger: { kind: 'issues', action: 'unassigned', sender: 'fm-sample' } }, 3);
  gates.slice(1).forEach((g, i) => (o = w.label(o, [g], [], 4 + i)));
  o = w.label(o, [], [handoffGate], 20); // undo: cancels the transfer request
  o = w.label(o, [handoffGate], [], 21); // reopens it
  // Closed by hand before completion: the request is put on hold; reopened, both resume.
  o = w.run({ ...o, issue: { ...o.issue, state: 'closed' }, trigger: { kind: 'issues', action: 'closed', sender: 'fm-sample' } }, 21.2);
  o = w.run({ ...o, issue: { ...o.issue, state: 'open' }, trigger: { kind: 'issues', action: 'reopened', sender: 'fm-sample' } }, 21.4);
  o = w.command(o, `${command} Nowhere`, 'assigner', 'engagement', 22);
  o = w.command(o, command, 'fm-sample', 'transfer-request', 22.5); // the FM's own move: refused
  for (const [i, verdict] of REFUSALS.entries()) o = w.command(o, command, 'outsider', 'transfer-request', 23 + i, verdict);
  const queues = queuesOf(w.playbook, w.config, 'en');
  o = w.command(o, `${command} ${queues.APJ}`, 'assigner', 'transfer-request', 30);
  o = w.label(o, [w.playbook.task.label], [], 31);
  // On the request the receipt tells the team; on the engagement a closing note goes to the request.
  o = w.command(o, command, 'assigner', onRequest ? 'transfer-request' : 'engagement', 32);
  w.run({ ...o, issue: { ...o.issue, state: 'open' }, trigger: { kind: 'issues', action: 'reopened', sender: 'fm-sample' } }, 33);
}

const REFUSALS: Authorisation[] = [
  { ok: false, reason: 'not-member', team: 'org/team' },
  { ok: false, reason: 'not-collaborator', permission: 'read', repo: 'org/repo' },
  { ok: false, reason: 'check-impossible', team: 'org/team' },
];

/** A confirmation before any request, a second one; two alternatives at once; a hand edit; the scan. */
function walkEdges(w: Walk): void {
  const gates = w.gateLabels(0);
  const command = w.playbook.handoff.command;
  let o = w.start(w.body(SAMPLES.withoutAccountTeam));
  o = w.command(o, command, 'assigner', 'engagement', 1);
  o = w.label(o, gates, [], 2);
  // Two overlapping runs opened two requests: the later one is closed as a duplicate of the first.
  const first = o.transferRequest;
  if (first) {
    const twin = { ...first, number: first.number + 100, url: first.url.replace(/\d+$/, String(first.number + 100)), comments: [] };
    o = w.run({ ...o, duplicateRequests: [twin], trigger: { kind: 'scan' } }, 2.5);
    o = { ...o, duplicateRequests: [] };
  }
  o = w.command(o, command, 'assigner', 'transfer-request', 3);
  w.command(o, command, 'someone-else', 'transfer-request', 4);
  const alternatives = w.playbook.steps.find((s) => s.gate?.records)?.gate?.labels ?? [];
  let both = w.start(w.body(SAMPLES.withAccountTeam));
  both = w.label(both, [...gates.slice(0, gates.findIndex((g) => alternatives.includes(g))), ...alternatives], [], 1);
  const hand = both.issue.body.replace(/^step: .*$/m, `step: ${finalStep(w.playbook)}`);
  w.run({ ...both, issue: { ...both.issue, body: hand }, trigger: { kind: 'issues', action: 'edited', sender: 'fm-sample', edit: { before: both.issue.body, after: hand } } }, 2);
  const quiet = w.start(w.body(SAMPLES.withAccountTeam));
  w.run({ ...quiet, trigger: { kind: 'scan' } }, 60 * 24 * 20);
  const waiting = w.label(w.start(w.body(SAMPLES.withoutAccountTeam)), gates, [], 1);
  w.run({ ...waiting, trigger: { kind: 'scan' } }, 60 * 24 * 7);
}

/** Bodies the bot refuses: broken YAML, bad values, a body too long to record the state in. */
function walkBadInput(w: Walk, locale: Locale): void {
  w.start(`---\ncustomer: [x\nlocale: ${locale}\n---\n`);
  w.start(`---\ncustomer: X\nregion: Mars\nfm: not a login!\nlocale: ${locale}\nservices: [1]\ncustmer: y\nplaybook: nowhere\n---\n`);
  w.start(w.body(SAMPLES.withAccountTeam, `\n${'x'.repeat(65_400)}\n`));
}

/** Every message of the process, for one locale, each with the values it was rendered from. */
export function walkEveryMessage(config: Config, messages: Messages, locale: Locale): Rendered[] {
  const rendered: Rendered[] = [];
  const recorder: Messages = {
    render(name, loc, values) {
      const text = messages.render(name, loc, values);
      rendered.push({ name, values, text });
      return text;
    },
  };
  for (const playbook of config.playbooks.all) {
    const w = new Walk(config, recorder, locale, playbook);
    walkThrough(w, SAMPLES.withAccountTeam, 0, true);
    walkThrough(w, SAMPLES.withoutAccountTeam, 1, false);
    walkEdges(w);
  }
  walkBadInput(new Walk(config, recorder, locale, config.playbooks.default), locale);
  // Another playbook asked for mid-way: refused.
  const other = config.playbooks.all.find((p) => p !== config.playbooks.default);
  if (other) {
    const w = new Walk(config, recorder, locale, config.playbooks.default);
    const o = w.start(w.body(SAMPLES.withAccountTeam));
    w.run({ ...o, issue: { ...o.issue, body: o.issue.body.replace(`playbook: ${config.playbooks.default.name}`, `playbook: ${other.name}`) }, trigger: { kind: 'issues', action: 'edited', sender: 'fm-sample' } }, 1);
  }
  return rendered;
}

/**
 * Checks a `templates-path` directory before the run: every file must be a template of this
 * action, must parse, and may only use values its message has. Throws a TemplateError naming the
 * file and listing the valid names or values.
 */
export function checkOverrides(config: Config, messages: Messages): void {
  const dir = config.templatesPath;
  // The built-in playbooks with the built-in templates are checked by the tests; anything else at start.
  const own = config.playbooks.all.some((p) => !p.file.startsWith('playbooks/'));
  if (!dir && !own) return;
  if (dir && !existsSync(dir)) throw new TemplateError(`templates-path: ${dir} does not exist`);
  const unknown = dir ? unknownOverrideFiles(dir, config.playbooks.all) : [];
  if (dir && unknown.length > 0) {
    throw new TemplateError(
      `templates-path: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a template' : 'are not templates'} of this action. Template files: ${templateFiles(config.playbooks.all).join(', ')}; put them in ${dir}/<locale>/ (${LOCALES.join(', ')}) or in ${dir}/ for every locale.`,
    );
  }
  walkChecked(config, messages);
}

/** Every message rendered for every locale; a failure names the template and what it lacks. */
function walkChecked(config: Config, messages: Messages): void {
  let current: { name: MessageName; values: object } | null = null;
  const tracing: Messages = {
    render(name, locale, values) {
      current = { name, values };
      return messages.render(name, locale, values);
    },
  };
  for (const locale of LOCALES) {
    try {
      walkEveryMessage(config, tracing, locale);
    } catch (error) {
      const message = String((error as Error).message);
      const missing = /"([^"]+)" not defined/.exec(message)?.[1];
      const at = current as { name: MessageName; values: object } | null;
      if (!at || error instanceof TemplateError) throw error;
      const file = `${locale}/${templateFiles(config.playbooks.all).find((f) => f.replace(/\.(md|txt)\.hbs$/, '') === at.name) ?? at.name}`;
      if (!missing) throw new TemplateError(`templates: ${file} cannot be rendered with the values its playbook gives (${message.split('\n')[0]}); check the step's \`emails\` and the values the template uses (docs/playbooks.md).`);
      throw new TemplateError(
        `templates-path: ${file} (or a partial it uses) uses "${missing}", which this message does not have. Values it can use: ${Object.keys(at.values).sort().join(', ')}.`,
      );
    }
  }
}
