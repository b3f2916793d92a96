// The tenant-transfer request the assignment team works from: opened on entering the handoff
// step, reopened when the step is entered again, closed as not planned when it is undone, and
// closed as completed with the engagement.
import type { BotState } from '../process/engagement.js';
import type { Effect } from './plan.js';
import { entryIdOf, type Facts } from './facts.js';
import { keys, markersIn } from '../process/markers.js';
import { isBefore } from '../process/playbook.js';
import { comment, common, shouldPost } from './say.js';
import { plainValues } from '../messages/message-values.js';
import { repoName } from '../process/settings.js';

export function openingEffect(f: Facts, after: BotState): Effect {
  const plain = plainValues(f.fields, after, f.view);
  const locale = f.view.locale;
  const ref = `${repoName(f.target.repo)}#${f.target.number}`;
  const repo = f.config.assignmentRepo;
  const sameOwner = repo.owner.toLowerCase() === f.target.repo.owner.toLowerCase();
  return {
    kind: 'open-transfer-request',
    repo,
    title: { template: 'transfer-request-title', locale, values: plain },
    body: { template: 'transfer-request', locale, values: { ...common(f, after), plain: { ...common(f, after), ...plain } } },
    key: keys.transferRequestFor(ref),
    labels: [f.labels.name('queue-transfer')],
    assignees: f.config.assignmentAssignees,
    parent: sameOwner ? f.target : null,
  };
}

type LifecycleNote = 'cancelled' | 'reopened' | 'paused' | 'done';
const NOTES: Array<[string, LifecycleNote]> = [
  ['transfer-cancelled/', 'cancelled'],
  ['transfer-reopened/', 'reopened'],
  ['transfer-paused/', 'paused'],
  ['transfer-done', 'done'],
];

/**
 * The last note the bot left on the request about opening or closing it; undefined when its
 * comments were not read. A plan's fields run even after one fails, so a close or reopen may have
 * been applied while its note was refused: the note is then still owed, and this tells.
 */
function lastNote(f: Facts): LifecycleNote | null | undefined {
  const comments = f.obs.transferRequest?.comments;
  if (!comments) return undefined;
  let last: LifecycleNote | null = null;
  for (const c of comments) {
    if (!c.byBot) continue;
    for (const key of markersIn(c.body)) last = NOTES.find(([prefix]) => key.startsWith(prefix))?.[1] ?? last;
  }
  return last;
}

/** Reopens the request when the handoff step is entered again; cancels it when the step is undone. */
export function requestFollowsStep(f: Facts, after: BotState): Effect[] {
  const t = f.obs.transferRequest;
  if (!t) return [];
  const target = { repo: t.repo, number: t.number };
  const effects: Effect[] = [];
  const note = lastNote(f);
  if (after.step === f.playbook.handoff.step && (t.state === 'closed' || note === 'cancelled' || note === 'paused')) {
    const key = keys.transferReopened(entryIdOf(f, after), timesPaused(f, after));
    if (shouldPost(t.comments, key, true)) effects.push(comment(f, 'transfer-reopened', key, common(f, after), target));
    if (t.state === 'closed') effects.push({ kind: 'reopen-issue', target });
  }
  if (isBefore(f.playbook, after.step, f.playbook.handoff.step) && (t.state === 'open' || (note !== undefined && note !== 'cancelled'))) {
    const key = keys.transferCancelled(entryIdOf(f, after));
    if (shouldPost(t.comments, key, true)) effects.push(comment(f, 'transfer-cancelled', key, common(f, after), target));
    if (t.state === 'open') effects.push({ kind: 'close-issue', target, reason: 'not_planned' });
  }
  return effects;
}

/** How many times the request was put on hold (the engagement closed by hand) in this entry. */
function timesPaused(f: Facts, state: BotState): number {
  const prefix = keys.transferPaused(entryIdOf(f, state), 0).replace(/0$/, '');
  return (f.obs.transferRequest?.comments ?? []).filter((c) => c.byBot && markersIn(c.body)[0]?.startsWith(prefix)).length;
}

/** The engagement closed by hand before its completion: an open request is put on hold (closed as not planned). */
export function requestOnHold(f: Facts, state: BotState): Effect[] {
  const t = f.obs.transferRequest;
  const note = lastNote(f);
  // Closed already: by this bot in a plan whose note was refused (the note is still owed), or by a person.
  if (!t || (t.state !== 'open' && (note === undefined || note === 'paused' || note === 'cancelled' || note === 'done'))) return [];
  const target = { repo: t.repo, number: t.number };
  const key = keys.transferPaused(entryIdOf(f, state), timesPaused(f, state) + 1);
  const effects: Effect[] = [comment(f, 'transfer-paused', key, common(f, state), target)];
  if (t.state === 'open') effects.push({ kind: 'close-issue', target, reason: 'not_planned' });
  return effects;
}

/** Completion: the FM steps off, the transfer request and the engagement close. `replies` are this run's receipts. */
export function closingEffects(f: Facts, state: BotState, replies: Effect[]): Effect[] {
  const effects: Effect[] = [];
  const fm = f.fields.fm.toLowerCase();
  const assigned = f.obs.issue.assignees.find((a) => a.toLowerCase() === fm);
  if (assigned) effects.push({ kind: 'remove-assignees', target: f.target, logins: [assigned] });
  const t = f.obs.transferRequest;
  // Closed already, with the note refused in the same plan: the note is still owed.
  if (t && (t.state === 'open' || (t.comments && lastNote(f) !== 'done'))) {
    const target = { repo: t.repo, number: t.number };
    const key = keys.transferDone();
    // A completing receipt (this run's, or an earlier one carrying this key) already told the team.
    const told = replies.some((e) => e.kind === 'comment' && e.key !== key && e.extraKeys.includes(key));
    if (!told && shouldPost(t.comments, key, true)) effects.push(comment(f, 'transfer-completed', key, common(f, state), target));
    if (t.state === 'open') effects.push({ kind: 'close-issue', target, reason: 'completed' });
  }
  if (f.obs.issue.state === 'open') effects.push({ kind: 'close-issue', target: f.target, reason: 'completed' });
  return effects;
}

/**
 * Requests opened by overlapping runs (GitHub has no conditional create): each is closed as a
 * duplicate of the one kept (the oldest), with a note to the assignment team, once.
 */
export function duplicatesClosed(f: Facts, state: BotState): Effect[] {
  const kept = f.obs.transferRequest;
  if (!kept) return [];
  const keptTarget = { repo: kept.repo, number: kept.number };
  return (f.obs.duplicateRequests ?? []).flatMap((d): Effect[] => {
    const target = { repo: d.repo, number: d.number };
    const key = keys.transferDuplicate(`${repoName(kept.repo)}#${kept.number}`);
    const effects: Effect[] = [];
    // Closed already with the note refused in the same plan: the note is still owed.
    if (d.comments !== null && shouldPost(d.comments, key, true)) {
      effects.push(comment(f, 'transfer-duplicate', key, { ...common(f, state), kept: { ref: `#${kept.number}`, url: kept.url } }, target));
    }
    if (d.state === 'open') effects.push({ kind: 'close-issue', target, reason: 'duplicate', duplicateOf: keptTarget });
    return effects;
  });
}
