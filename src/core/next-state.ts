// The engagement's next state from its labels, its confirmations and its history: which step the
// labels reach, which labels do not count, and the history entries of the move. Pure.
import type { BotState, HistoryEntry, Transfer } from '../process/engagement.js';
import { addedLabel, type Facts } from './facts.js';
import { nextActionDateFor } from '../process/dates.js';
import { issueRef } from '../messages/message-values.js';
import { climb, forwardPath, skippedSteps, stepOfLabel, type Progress } from './progress.js';
import { finalStep, firstStep, isBefore, recordKeys, stepIndex, taskKey, type Playbook } from '../process/playbook.js';
import { queuesOf } from '../process/queues.js';

export function initialState(f: Facts): BotState {
  const step = firstStep(f.playbook);
  const recorded = Object.fromEntries(recordKeys(f.playbook).map((k) => [k, null]));
  return {
    step,
    step_since: f.nowIso,
    recorded,
    tasks: { [taskKey(f.playbook)]: 'pending' },
    next_action_date: null,
    transfer: null,
    stalled_since: null,
    history: [{ at: f.nowIso, by: f.actor, from: null, to: step, via: startedVia(f) }],
    completed_at: null,
  };
}

function startedVia(f: Facts): string {
  const t = f.obs.trigger;
  if (t.kind === 'issues') return t.action === 'labeled' && t.label ? `labeled:${t.label}` : t.action;
  return t.kind === 'scan' ? 'scan' : 'comment';
}

/**
 * Two alternatives of one gate at once (ready and not ready): the one just added wins, else the
 * one matching the recorded answer, else both go. Returns the labels to remove.
 */
export function conflictingAlternatives(f: Facts, present: Set<string>, before: BotState): string[] {
  const conflicting: string[] = [];
  for (const step of f.playbook.steps) {
    const records = step.gate?.records;
    const on = step.gate?.labels.filter((l) => present.has(l)) ?? [];
    if (!records || on.length < 2) continue;
    const added = addedLabel(f);
    const keep = added !== null && on.includes(added) ? added : (on.find((l) => records.values[l] === before.recorded[records.key]) ?? null);
    for (const l of on) {
      if (l === keep) continue;
      present.delete(l);
      conflicting.push(l);
    }
  }
  return conflicting;
}

/** Labels past a missing gate: part of an undo when the engagement had got that far, else out of order. */
export function labelsPastGap(playbook: Playbook, progress: Progress, before: BotState, skipped: Set<string>): { undone: string[]; outOfOrder: string[] } {
  const lastMove = before.history.at(-1);
  const highWater = Math.max(stepIndex(playbook, before.step), lastMove?.from && lastMove.at === before.step_since ? stepIndex(playbook, lastMove.from) : -1);
  const undone = progress.beyond.filter((l) => stepIndex(playbook, stepOfLabel(playbook, l, skipped)) <= highWater);
  return { undone, outOfOrder: progress.beyond.filter((l) => !undone.includes(l)) };
}

/** The transfer record for the step reached: asked for on entering the handoff step, cleared on leaving it. */
export function transferFor(f: Facts, before: BotState, step: string): Transfer | null {
  const handoff = f.playbook.handoff.step;
  const request = f.obs.transferRequest ? issueRef(f.obs.issue, f.obs.transferRequest) : (before.transfer?.request ?? null);
  if (isBefore(f.playbook, step, handoff)) {
    return before.transfer ? { ...before.transfer, request, requested_at: null, confirmed_by: null, confirmed_at: null } : null;
  }
  const entering = before.step !== handoff;
  return {
    queue: queuesOf(f.playbook, f.config, f.view.locale)[f.fields.region],
    request,
    requested_at: entering ? f.nowIso : (before.transfer?.requested_at ?? f.nowIso),
    confirmed_by: entering ? null : (before.transfer?.confirmed_by ?? null),
    confirmed_at: entering ? null : (before.transfer?.confirmed_at ?? null),
  };
}

export interface Move {
  step: string;
  progress: Progress;
  skipped: Set<string>;
  /** A confirmation recorded in this run. */
  confirmedHere: boolean;
}

/** One history entry per step entered, so coalesced events still show each step. */
export function historyOf(f: Facts, before: BotState, move: Move): { history: HistoryEntry[]; stepSince: string } {
  const { step, progress } = move;
  const entry = (from: string, to: string, via: string): HistoryEntry => ({ at: f.nowIso, by: f.actor, from, to, via });
  const history = [...before.history];
  if (step !== before.step) {
    if (isBefore(f.playbook, before.step, step)) {
      let from = before.step;
      for (const to of forwardPath(f.playbook, before.step, step, move.skipped)) {
        history.push(entry(from, to, viaEntering(f, to, progress, move.confirmedHere)));
        from = to;
      }
    } else {
      history.push(entry(before.step, step, `unlabeled:${removedLabel(f, progress)}`));
    }
    return { history, stepSince: f.nowIso };
  }
  const note = sameStepNote(f, before, move);
  if (note) history.push(entry(step, step, note.via));
  return { history, stepSince: note?.reenters ? f.nowIso : before.step_since };
}

function removedLabel(f: Facts, progress: Progress): string {
  const t = f.obs.trigger;
  if (t.kind === 'issues' && t.action === 'unlabeled' && t.label) return t.label;
  return f.labels.name(progress.missing ?? f.playbook.steps[1]?.gate?.labels[0] ?? '');
}

/**
 * A change within the step: another alternative recorded (the step starts again, with its
 * message), the task marked or unmarked, or the confirmation recorded.
 */
function sameStepNote(f: Facts, before: BotState, move: Move): { via: string; reenters: boolean } | null {
  const { step, progress } = move;
  const records = f.playbook.steps.find((s) => s.key === step)?.gate?.records;
  const was = records ? before.recorded[records.key] : null;
  if (records && was !== null && was !== undefined && progress.recorded[records.key] !== was) {
    const label = Object.keys(records.values).find((l) => records.values[l] === progress.recorded[records.key]) as string;
    return { via: `label:${f.labels.name(label)}`, reenters: true };
  }
  if (step !== f.playbook.handoff.step) return null;
  const taskWasDone = before.tasks[taskKey(f.playbook)] === 'done';
  if (progress.taskDone !== taskWasDone) return { via: `${progress.taskDone ? 'label' : 'unlabeled'}:${f.labels.name(f.playbook.task.label)}`, reenters: false };
  if (move.confirmedHere && !before.transfer?.confirmed_by) return { via: `comment:${f.playbook.handoff.command}`, reenters: false };
  return null;
}

function viaEntering(f: Facts, step: string, progress: Progress, confirmedHere: boolean): string {
  if (step === finalStep(f.playbook)) return confirmedHere ? `comment:${f.playbook.handoff.command}` : `label:${f.labels.name(f.playbook.task.label)}`;
  const label = progress.openedBy[step];
  return label ? `label:${f.labels.name(label)}` : 'labels';
}

/** The state after the move: everything derived from the step, the labels and the history. */
export function stateAfter(f: Facts, before: BotState, move: Move, transfer: Transfer | null): BotState {
  const { step, progress } = move;
  const { history, stepSince } = historyOf(f, before, move);
  const entered = stepSince !== before.step_since;
  const done = step === finalStep(f.playbook) || (step === f.playbook.handoff.step && progress.taskDone);
  return {
    step,
    step_since: stepSince,
    recorded: recordedAt(f.playbook, step, progress),
    tasks: { [taskKey(f.playbook)]: done ? 'done' : 'pending' },
    next_action_date: nextActionDate(f, before, step),
    transfer,
    stalled_since: entered ? null : before.stalled_since,
    history,
    completed_at: step === finalStep(f.playbook) ? f.nowIso : null,
  };
}

/** An alternative's value counts once the engagement is in or past the step it opens. */
function recordedAt(playbook: Playbook, step: string, progress: Progress): Record<string, boolean | null> {
  const recorded: Record<string, boolean | null> = {};
  for (const s of playbook.steps) {
    if (s.gate?.records) recorded[s.gate.records.key] = isBefore(playbook, step, s.key) ? null : (progress.recorded[s.gate.records.key] ?? null);
  }
  return recorded;
}

/** Computed on entering the playbook's step for it, kept while the engagement stays there or beyond. */
function nextActionDate(f: Facts, before: BotState, step: string): string | null {
  const rule = f.playbook.nextActionDate;
  if (!rule || isBefore(f.playbook, step, rule.fromStep)) return null;
  const computed = nextActionDateFor(f.now, f.config.timezone);
  return before.step !== rule.fromStep && step !== before.step ? computed : (before.next_action_date ?? computed);
}

/** Where the labels take the engagement, before confirmations are counted. */
export function progressOf(f: Facts, before: BotState): { progress: Progress; skipped: Set<string>; conflicting: string[] } {
  const skipped = skippedSteps(f.playbook, f.fields, before);
  const present = f.labels.stepLabels(f.playbook);
  const conflicting = conflictingAlternatives(f, present, before);
  return { progress: climb(f.playbook, present, skipped), skipped, conflicting };
}
