// A rehearsal of the whole process on a sample engagement, through the real decision core, with
// every message recorded together with the values it was rendered from. It runs no I/O. At start
// it checks templates a maintainer overrides (every value a template names must exist); the tests
// use it to check that every template renders for every step and branch.
import type { Config } from './config.js';
import { parseQueueMoved } from './confirmation.js';
import { decide } from './decide.js';
import type { Effect } from './effects.js';
import type { Locale } from './engagement.js';
import { keys, markersIn } from './markers.js';
import type { Authorisation, CommentView, ConfirmationAttempt, Observation, Trigger } from './observation.js';
import { existsSync } from 'node:fs';
import { LOCALES } from './engagement.js';
import { MESSAGE_FILES, PARTIAL_FILES, TemplateError, unknownOverrideFiles, type MessageName, type Messages } from './templates.js';

const START = Date.parse('2026-11-25T10:00:00.000Z');
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();

export interface Rendered {
  name: MessageName;
  values: object;
  text: string;
}

/** Applies effects to an observation as GitHub would: what the next run of the story would read. */
export function applyToObservation(o: Observation, effects: Effect[], when: string, bot: string, ids: { next: number }): Observation {
  const next: Observation = structuredClone(o);
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
        const c: CommentView = { id: ++ids.next, author: bot, byBot: true, body: e.body, createdAt: when, url: `${next.issue.url}#issuecomment-${ids.next}` };
        if (onEngagement(e.target)) next.comments?.push(c);
        else t?.comments?.push(c);
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

/** Every message of the process, for one locale, each with the values it was rendered from. */
export function rehearse(config: Config, messages: Messages, locale: Locale): Rendered[] {
  const rendered: Rendered[] = [];
  const recorder: Messages = {
    render(name, loc, values) {
      const text = messages.render(name, loc, values);
      rendered.push({ name, values, text });
      return text;
    },
  };
  const fm = 'fm-sample';
  const bot = 'engagement-bot[bot]';
  const ids = { next: 1000 };
  const settings = { ...config, locale, dryRun: true };
  const body = (fields: Record<string, string>, rest = '\nNotes.\n') =>
    `---\n${Object.entries({ ...fields, fm, locale })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n---\n${rest}`;
  const start = (text: string, assignees: string[] = [fm]): Observation => ({
    issue: { repo: config.repo, number: 1, title: 'Engagement', url: `https://github.com/${config.repo.owner}/${config.repo.name}/issues/1`, state: 'open', stateReason: null, body: text, labels: [config.labels.engagement], assignees, author: fm },
    comments: [],
    transferRequest: null,
    confirmations: [],
    trigger: { kind: 'issues', action: 'opened', sender: fm },
  });
  const run = (o: Observation, minute: number): Observation => {
    const context = { config: settings, messages: recorder, now: new Date(at(minute)) };
    let current = o;
    let decision = decide(current, context);
    if (decision.opensTransferRequest) {
      current = applyToObservation(current, decision.effects, at(minute), bot, ids);
      decision = decide(current, context);
    }
    return applyToObservation(current, decision.effects, at(minute), bot, ids);
  };
  const label = (o: Observation, add: string[], remove: string[], minute: number) => {
    const names = (list: string[]) => list.map((l) => config.labels[l as keyof Config['labels']] ?? l);
    const labels = o.issue.labels.filter((l) => !names(remove).includes(l)).concat(names(add));
    const trigger: Trigger = add.length ? { kind: 'issues', action: 'labeled', sender: fm, label: names(add).at(-1) as string } : { kind: 'issues', action: 'unlabeled', sender: fm, label: names(remove)[0] as string };
    return run({ ...o, issue: { ...o.issue, labels }, trigger }, minute);
  };
  const command = (o: Observation, text: string, by: string, on: ConfirmationAttempt['on'], minute: number, authorisation: Authorisation = { ok: true, via: 'team' }) => {
    const comment: CommentView = { id: ++ids.next, author: by, byBot: false, body: text, createdAt: at(minute), url: `${o.issue.url}#issuecomment-${ids.next}` };
    const attempt: ConfirmationAttempt = { commentId: comment.id, on, author: by, createdAt: comment.createdAt, url: comment.url, queue: parseQueueMoved(text)?.queue ?? null, authorisation };
    return run({ ...o, confirmations: [attempt], trigger: { kind: 'issue_comment', action: 'created', sender: by, commentId: comment.id } }, minute);
  };

  for (const [fields, ready] of [
    [SAMPLES.withAccountTeam, 'workload-ready'],
    [SAMPLES.withoutAccountTeam, 'workload-not-ready'],
  ] as const) {
    let o = run(start(body(fields), []), 0);
    o = label(o, ['workload-ready'], [], 1); // out of order
    o = label(o, ['migration-complete'], [], 2);
    o = run({ ...o, issue: { ...o.issue, assignees: [] }, trigger: { kind: 'issues', action: 'unassigned', sender: fm } }, 3);
    if (fields === SAMPLES.withAccountTeam) o = label(o, ['account-team-notified'], [], 4);
    o = label(o, [ready], [], 5);
    o = label(o, ['follow-up-sent'], [], 6);
    o = label(o, [], ['follow-up-sent'], 7); // undo: cancels the transfer request
    o = label(o, ['follow-up-sent'], [], 8); // reopens it
    o = command(o, '/queue-moved Nowhere', 'assigner', 'engagement', 9);
    o = command(o, '/queue-moved', 'outsider', 'transfer-request', 10, { ok: false, reason: 'not-member', team: 'org/team' });
    o = command(o, '/queue-moved', 'outsider', 'transfer-request', 11, { ok: false, reason: 'not-collaborator', permission: 'read', repo: 'org/repo' });
    o = command(o, '/queue-moved', 'outsider', 'transfer-request', 12, { ok: false, reason: 'check-impossible', team: 'org/team' });
    o = command(o, `/queue-moved ${Object.values(config.queues).find((q) => q !== config.queues.EMEA && q !== config.queues.Americas)}`, 'assigner', 'transfer-request', 13);
    o = label(o, ['task-4060-done'], [], 14);
    // On the request the receipt tells the team; on the engagement a closing note goes to the request.
    o = command(o, '/queue-moved', 'assigner', fields === SAMPLES.withAccountTeam ? 'transfer-request' : 'engagement', 15);
    run({ ...o, issue: { ...o.issue, state: 'open' }, trigger: { kind: 'issues', action: 'reopened', sender: fm } }, 16);
  }
  // A confirmation before any request; confirmation first, then a second one.
  let o = run(start(body(SAMPLES.withoutAccountTeam)), 0);
  o = command(o, '/queue-moved', 'assigner', 'engagement', 1);
  o = label(o, ['migration-complete', 'workload-ready', 'follow-up-sent'], [], 2);
  o = command(o, '/queue-moved', 'assigner', 'transfer-request', 3);
  command(o, '/queue-moved', 'someone-else', 'transfer-request', 4);
  // Both workload labels; a hand edit of a bot-owned key; invalid and oversized bodies.
  let w = run(start(body(SAMPLES.withAccountTeam)), 0);
  w = label(w, ['migration-complete', 'account-team-notified', 'workload-ready', 'workload-not-ready'], [], 1);
  const hand = w.issue.body.replace('step: follow-up', 'step: completed');
  run({ ...w, issue: { ...w.issue, body: hand }, trigger: { kind: 'issues', action: 'edited', sender: fm, edit: { before: w.issue.body, after: hand } } }, 2);
  run(start(`---\ncustomer: [x\nlocale: ${locale}\n---\n`), 0);
  run(start(`---\ncustomer: X\nregion: Mars\nfm: not a login!\nlocale: ${locale}\nservices: [1]\ncustmer: y\n---\n`), 0);
  run(start(body(SAMPLES.withAccountTeam, `\n${'x'.repeat(65_400)}\n`)), 0);
  // The scheduled run: a stall in a step, and a wait on the assignment team.
  const quiet = run(start(body(SAMPLES.withAccountTeam)), 0);
  run({ ...quiet, trigger: { kind: 'scan' } }, 60 * 24 * 20);
  let waiting = run(start(body(SAMPLES.withoutAccountTeam)), 0);
  waiting = label(waiting, ['migration-complete', 'workload-ready', 'follow-up-sent'], [], 1);
  run({ ...waiting, trigger: { kind: 'scan' } }, 60 * 24 * 7);
  return rendered;
}

/**
 * Checks a `templates-path` directory before the run: every file must be a template of this
 * action, must parse, and may only use values its message has. Throws a TemplateError naming the
 * file and listing the valid names or values.
 */
export function checkOverrides(config: Config, messages: Messages): void {
  const dir = config.templatesPath;
  if (!dir) return;
  if (!existsSync(dir)) throw new TemplateError(`templates-path: ${dir} does not exist`);
  const unknown = unknownOverrideFiles(dir);
  if (unknown.length > 0) {
    throw new TemplateError(
      `templates-path: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a template' : 'are not templates'} of this action. Template files: ${[...Object.values(MESSAGE_FILES), ...PARTIAL_FILES].join(', ')}; put them in ${dir}/<locale>/ (${LOCALES.join(', ')}) or in ${dir}/ for every locale.`,
    );
  }
  let current: { name: MessageName; values: object } | null = null;
  const tracing: Messages = {
    render(name, locale, values) {
      current = { name, values };
      return messages.render(name, locale, values);
    },
  };
  for (const locale of LOCALES) {
    try {
      rehearse(config, tracing, locale);
    } catch (error) {
      const missing = /"([^"]+)" not defined/.exec(String((error as Error).message))?.[1];
      const at = current as { name: MessageName; values: object } | null;
      if (!at || !missing) throw error;
      throw new TemplateError(
        `templates-path: ${locale}/${MESSAGE_FILES[at.name]} (or a partial it uses) uses "${missing}", which this message does not have. Values it can use: ${Object.keys(at.values).sort().join(', ')}.`,
      );
    }
  }
}
