// How far the labels on an engagement take it through its playbook. The FM opens the steps' gates
// in order; a label whose earlier gates are missing does not count, and is reported.
import type { BotState, EngagementFields } from '../process/engagement.js';
import { finalStep, isBefore, recordKeys, stepIndex, type Playbook, type StepSpec } from '../process/playbook.js';

/** A step is skipped when the FM's key it depends on is empty. */
function emptyField(step: StepSpec, fields: EngagementFields): boolean {
  if (step.skipWhenEmpty === 'account_team') return fields.accountTeam.length === 0;
  if (step.skipWhenEmpty === 'services') return fields.services.length === 0;
  if (step.skipWhenEmpty === 'completed_activities') return fields.completedActivities.length === 0;
  return false;
}

/**
 * The steps this engagement skips. Decided by the FM's keys until the engagement is past the
 * step; after that by the path it actually took, so that editing a key later never moves it back.
 */
export function skippedSteps(playbook: Playbook, fields: EngagementFields, state: BotState | null): Set<string> {
  const skipped = new Set<string>();
  playbook.steps.forEach((step, i) => {
    if (!step.skipWhenEmpty) return;
    const next = playbook.steps[i + 1] as StepSpec;
    if (state === null || !isBefore(playbook, step.key, state.step)) {
      if (emptyField(step, fields)) skipped.add(step.key);
      return;
    }
    // The last time the next step was entered going forward (an undo back into it says nothing).
    const entry = [...state.history].reverse().find((h) => h.to === next.key && h.from !== null && isBefore(playbook, h.from, next.key));
    if (entry?.from !== step.key) skipped.add(step.key);
  });
  return skipped;
}

export interface Progress {
  /** The furthest step the labels reach (completion also needs the queue-move confirmation). */
  reached: string;
  /** Step labels on the issue that do not count: an earlier gate is missing. */
  beyond: string[];
  /** What the alternatives passed on the way recorded, by front-matter key. */
  recorded: Record<string, boolean | null>;
  taskDone: boolean;
  /** The first gate label missing (what the FM is expected to add next). */
  missing: string | null;
  /** The label that opened each step on the way, for history. */
  openedBy: Record<string, string>;
}

/** Walks the gates in order; a skipped step's gate opens the step after it instead. */
export function climb(playbook: Playbook, present: Set<string>, skipped: Set<string>): Progress {
  const counted = new Set<string>();
  const recorded = Object.fromEntries(recordKeys(playbook).map((k) => [k, null]));
  const progress: Progress = { reached: playbook.steps[0]?.key as string, beyond: [], recorded, taskDone: false, missing: null, openedBy: {} };
  let openedBySkipped = false;
  for (const [i, step] of playbook.steps.entries()) {
    if (!step.gate) continue;
    const label = step.gate.labels.find((l) => present.has(l));
    if (openedBySkipped) {
      // Opened already by the skipped step's gate: its own label is harmless, nothing to report.
      if (label) counted.add(label);
      openedBySkipped = false;
      continue;
    }
    if (!label) {
      progress.missing ??= step.gate.labels[0] as string;
      break;
    }
    counted.add(label);
    if (step.gate.records) progress.recorded[step.gate.records.key] = step.gate.records.values[label] ?? null;
    openedBySkipped = skipped.has(step.key);
    progress.reached = openedBySkipped ? (playbook.steps[i + 1] as StepSpec).key : step.key;
    progress.openedBy[progress.reached] = label;
  }
  if (progress.reached === playbook.handoff.step) {
    if (present.has(playbook.task.label)) counted.add(playbook.task.label);
    else progress.missing = playbook.task.label;
  }
  progress.taskDone = counted.has(playbook.task.label);
  progress.beyond = [...present].filter((l) => !counted.has(l));
  return progress;
}

/** The step a label leads into (the task's label belongs to the handoff step). */
export function stepOfLabel(playbook: Playbook, label: string, skipped: Set<string>): string {
  if (label === playbook.task.label) return playbook.handoff.step;
  const i = playbook.steps.findIndex((s) => s.gate?.labels.includes(label));
  const step = playbook.steps[i] as StepSpec;
  return skipped.has(step.key) ? (playbook.steps[i + 1] as StepSpec).key : step.key;
}

/** Steps entered on the way from `from` (exclusive) to `to` (inclusive), skipped ones left out. */
export function forwardPath(playbook: Playbook, from: string, to: string, skipped: Set<string>): string[] {
  return playbook.steps
    .slice(stepIndex(playbook, from) + 1, stepIndex(playbook, to) + 1)
    .map((s) => s.key)
    .filter((key) => !skipped.has(key));
}

/** The labels the FM is expected to add next in a step. */
export function nextLabels(playbook: Playbook, step: string): string[] {
  if (step === finalStep(playbook)) return [];
  if (step === playbook.handoff.step) return [playbook.task.label];
  return playbook.steps[stepIndex(playbook, step) + 1]?.gate?.labels ?? [];
}
