// The messages a move posts on the engagement: the entry message of the step (with its e-mail
// drafts), the labels that did not count, the stall flag, the task recorded, the FM's assignment
// put back. Each is keyed by what it is about, so a re-run never posts it twice.
import type { BotState, HistoryEntry } from '../process/engagement.js';
import type { Effect } from './plan.js';
import { entryIdOf, type Facts } from './facts.js';
import { code, mention } from '../messages/markdown.js';
import { keys, markersIn } from '../process/markers.js';
import { isBefore, stepIndex, stepSpec, type StepSpec } from '../process/playbook.js';
import { nextLabels, skippedSteps } from './progress.js';
import { comment, common, shouldPost } from './say.js';
import { stallReason } from '../process/stall.js';
import { movesKey } from './record.js';
import type { DraftIntent } from '../messages/intent.js';
import { plainValues, stepList } from '../messages/message-values.js';

const labelCodes = (f: Facts, labels: string[]) => labels.map((l) => code(f.labels.name(l)));

export interface Entry {
  firstSeen: boolean;
  /** A step was entered (or entered again) in this run. */
  entered: boolean;
  /** Later labels this run removes as part of an undo. */
  undone: string[];
  /** History entries this run added. */
  appended: HistoryEntry[];
}

/** The message for the step the engagement is in, once per entry into it. */
export function entryMessage(f: Facts, after: BotState, e: Entry): Effect[] {
  const key = keys.stepEntry(entryIdOf(f, after));
  if (!shouldPost(f.obs.comments, key, e.entered)) return [];
  // The steps this entry passed through: the entries this run added; when re-posting a message
  // a failed run left unposted, the entries written at the same instant.
  const entries = e.entered && e.appended.length > 0 ? e.appended : after.history.filter((h) => h.at === after.step_since);
  const last = entries.at(-1) ?? after.history.at(-1);
  const backward = last?.from != null && stepIndex(f.playbook, last.to) < stepIndex(f.playbook, last.from);
  const passed = entries.slice(0, -1).map((h) => h.to);
  const first = f.playbook.steps[0] as StepSpec;
  if (e.firstSeen && after.step !== first.key && !passed.includes(first.key)) passed.unshift(first.key);
  const step = stepSpec(f.playbook, after.step);
  const skipped = [...skippedSteps(f.playbook, f.fields, after)].filter((s) => f.playbook.steps[stepIndex(f.playbook, s) + 1]?.key === after.step);
  const values = {
    ...common(f, after),
    passedThrough: stepList(passed, f.view),
    hasPassedThrough: passed.length > 0,
    /** Steps skipped right before this one (an empty key of the FM's). */
    skipped: stepList(skipped, f.view),
    hasSkipped: skipped.length > 0,
    firstSeen: e.firstSeen,
    nextLabels: labelCodes(f, nextLabels(f.playbook, after.step)),
    undo: backward && last ? undoView(f, after, last, e.entered ? e.undone : undoneInRecord(f, after, last)) : null,
  };
  // The message is also the durable record of the moves that began this entry.
  const record = movesKey(after.history.filter((h) => h.at === after.step_since));
  return [comment(f, backward ? 'step-undone' : step.message, key, values, f.target, [record], emailDrafts(f, step, after))];
}

function undoView(f: Facts, after: BotState, last: HistoryEntry, undone: string[]) {
  const t = f.obs.transferRequest;
  return {
    from: stepList([last.from as string], f.view)[0],
    removedLabel: code(last.via.replace(/^unlabeled:/, '')),
    alsoRemoved: labelCodes(f, undone),
    // Open now, or (a message posted again after a refused write) closed by the same plan, whose note is there.
    transferCancelled: isBefore(f.playbook, after.step, f.playbook.handoff.step) && t != null && (t.state === 'open' || (t.comments ?? []).some((c) => c.byBot && markersIn(c.body).includes(keys.transferCancelled(entryIdOf(f, after))))),
  };
}

/**
 * The later labels an undo removed, from the record: every label added after the removed one.
 * For a message posted again by a later run (its first post refused), when the labels are gone.
 */
function undoneInRecord(f: Facts, after: BotState, undo: HistoryEntry): string[] {
  const removed = undo.via.replace(/^unlabeled:/, '');
  const added = after.history.filter((h) => h.at < undo.at && h.via.startsWith('label:')).map((h) => h.via.slice('label:'.length));
  const since = added.lastIndexOf(removed);
  const keysAdded = since < 0 ? [] : added.slice(since + 1).map((l) => f.labels.keyOf(l)).filter((k): k is string => k !== null);
  return [...new Set(keysAdded)];
}

/** The step's e-mail drafts, each addressed as the playbook says. */
function emailDrafts(f: Facts, step: StepSpec, state: BotState): Record<string, DraftIntent | null> {
  const plain = { ...plainValues(f.fields, state, f.view), transferRequestUrl: f.obs.transferRequest?.url ?? null };
  const drafts: Record<string, DraftIntent | null> = {};
  for (const spec of f.playbook.steps.flatMap((s) => s.emails)) drafts[spec.value] = null;
  for (const spec of step.emails) {
    const to = spec.to === null ? [] : (spec.to === 'account_team' ? f.fields.accountTeam : f.fields.customerContacts).map((c) => c.email);
    drafts[spec.value] = { template: spec.template, values: plain, to, cc: [] };
  }
  return drafts;
}

/** Labels that did not count (out of order) or clashed (two alternatives): said once per step entry. */
export function labelsReport(f: Facts, after: BotState, outOfOrder: string[], conflicting: string[], entered: boolean): Effect[] {
  if (outOfOrder.length === 0 && conflicting.length === 0) return [];
  const removed = [...outOfOrder, ...conflicting].map((l) => f.labels.name(l)).sort();
  const key = keys.outOfOrder(removed, entryIdOf(f, after));
  if (!shouldPost(f.obs.comments, key, !entered)) return [];
  const alternatives = f.playbook.steps.find((s) => s.gate?.labels.some((l) => conflicting.includes(l)))?.gate?.labels ?? [];
  return [
    comment(f, 'labels-out-of-order', key, {
      ...common(f, after),
      outOfOrder: labelCodes(f, outOfOrder),
      conflicting: labelCodes(f, conflicting),
      alternatives: labelCodes(f, alternatives),
      nextLabels: labelCodes(f, nextLabels(f.playbook, after.step)),
    }),
  ];
}

/**
 * The scheduled run flags an engagement that has not moved for too long, once: label, one
 * comment to the FM (and to the assignment team when the wait is theirs), `stalled_since`.
 */
export function stallFlag(f: Facts, after: BotState, entered: boolean): { stalledSince: string | null; effects: Effect[] } {
  // On hold: paused by the FM, so the wait is not a stall (and a flag already there goes).
  if (f.labels.has('on-hold')) return { stalledSince: null, effects: [] };
  if (f.obs.trigger.kind !== 'scan' || entered || after.stalled_since !== null) return { stalledSince: after.stalled_since, effects: [] };
  const reason = stallReason(after, f.now, f.playbook, f.config);
  if (!reason) return { stalledSince: null, effects: [] };
  const key = keys.stalled(entryIdOf(f, after));
  const flagged = { ...after, stalled_since: f.nowIso };
  const effects: Effect[] = [];
  if (shouldPost(f.obs.comments, key, true)) {
    effects.push(
      comment(f, 'stalled', key, {
        ...common(f, flagged),
        reason: reason.kind,
        days: reason.days,
        limit: reason.limit,
        nextLabels: labelCodes(f, nextLabels(f.playbook, after.step)),
        waitingForTeam: reason.kind === 'waiting-for-queue-move',
        assignees: f.config.assignmentAssignees.map(mention),
      }),
    );
  }
  if (!f.labels.has('stalled')) effects.push({ kind: 'add-labels', target: f.target, labels: [f.labels.name('stalled')] });
  return { stalledSince: f.nowIso, effects };
}

/** The task marked while the queue move is still to be confirmed: say what is awaited. */
export function taskAcknowledgement(f: Facts, after: BotState): Effect[] {
  const handoff = f.playbook.handoff.step;
  if (after.step !== handoff || !Object.values(after.tasks).includes('done')) return [];
  const marked = [...after.history].reverse().find((h) => h.to === handoff && h.from === handoff && h.via.startsWith('label:') && h.at >= after.step_since);
  if (!marked) return [];
  const key = keys.taskRecorded(f.playbook.task.id, entryIdOf(f, after));
  if (!shouldPost(f.obs.comments, key, marked.at === f.nowIso)) return [];
  return [comment(f, 'task-recorded', key, common(f, after), f.target, [movesKey([marked])])];
}

/** The playbook's rule: the FM keeps the assignment until the queue move is confirmed. */
export function fmAssignment(f: Facts, after: BotState, firstSeen: boolean, final: boolean): Effect[] {
  if (final || after.transfer?.confirmed_by || !f.playbook.handoff.fmKeepsAssignment) return [];
  const fm = f.fields.fm.toLowerCase();
  if (f.obs.issue.assignees.some((a) => a.toLowerCase() === fm)) return [];
  const effects: Effect[] = [];
  if (!firstSeen) {
    const key = keys.fmReassigned(entryIdOf(f, after));
    if (shouldPost(f.obs.comments, key, true)) effects.push(comment(f, 'fm-reassigned', key, common(f, after)));
  }
  effects.push({ kind: 'add-assignees', target: f.target, logins: [f.fields.fm] });
  return effects;
}
