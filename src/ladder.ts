// Which step the labels on an engagement put it in. The FM climbs the playbook's gates in order;
// a label whose earlier gates are missing does not count, and is reported.
import type { Config } from './config.js';
import type { BotState, EngagementFields } from './engagement.js';
import { hasAccountTeam } from './engagement.js';
import { COMPLETION_LABEL, GATES, STEP_LABELS, STEPS, stepIndex, type LabelKey, type Step, type StepLabel } from './playbook.js';

/** The labels, looked up by the action's label keys (names are configurable, case-insensitive). */
export class LabelSet {
  private readonly names: Set<string>;
  constructor(
    labels: string[],
    private readonly config: Pick<Config, 'labels'>,
  ) {
    this.names = new Set(labels.map((l) => l.toLowerCase()));
  }
  has(key: LabelKey): boolean {
    return this.names.has(this.config.labels[key].toLowerCase());
  }
  name(key: LabelKey): string {
    return this.config.labels[key];
  }
  /** The label key for a label name, if it is one of the action's labels. */
  keyOf(name: string | undefined): LabelKey | null {
    if (name === undefined) return null;
    const folded = name.toLowerCase();
    const entry = Object.entries(this.config.labels).find(([, n]) => n.toLowerCase() === folded);
    return entry ? (entry[0] as LabelKey) : null;
  }
  stepLabels(): Set<StepLabel> {
    return new Set(STEP_LABELS.filter((l) => this.has(l)));
  }
}

export interface Climb {
  /** The furthest step the labels reach (completion also needs the queue-move confirmation). */
  reached: Step;
  /** Step labels that are on the issue but do not count: an earlier gate is missing. */
  beyond: StepLabel[];
  workloadReady: boolean | null;
  taskDone: boolean;
  /** The first gate whose label is missing (what the FM is expected to add next). */
  missing: StepLabel | null;
  /** The label that opened each step on the way, for history. */
  openedBy: Partial<Record<Step, StepLabel>>;
}

/** Walks the playbook's gates in order (see GATES), then task 4060 within offboarding. */
export function climb(present: Set<StepLabel>, throughPreparation: boolean): Climb {
  const counted = new Set<StepLabel>();
  const openedBy: Climb['openedBy'] = {};
  let reached: Step = 'awaiting-migration';
  let missing: StepLabel | null = null;
  for (const gate of GATES) {
    const label = gate.labels.find((l) => present.has(l));
    if (gate.preparationOnly && !throughPreparation) {
      if (label) counted.add(label); // sent anyway: harmless, nothing to report
      continue;
    }
    if (!label) {
      missing = gate.labels[0] as StepLabel;
      break;
    }
    counted.add(label);
    reached = !throughPreparation && gate.withoutPreparation ? gate.withoutPreparation : gate.enters;
    openedBy[reached] = label;
  }
  if (reached === 'offboarding') {
    if (present.has(COMPLETION_LABEL)) counted.add(COMPLETION_LABEL);
    else missing = COMPLETION_LABEL;
  }
  return {
    reached,
    beyond: STEP_LABELS.filter((l) => present.has(l) && !counted.has(l)),
    workloadReady: counted.has('workload-ready') ? true : counted.has('workload-not-ready') ? false : null,
    taskDone: counted.has(COMPLETION_LABEL),
    missing,
    openedBy,
  };
}

/**
 * Whether the engagement goes through preparation (the ATU e-mail). Decided by the account-team
 * information until the discussion is reached; after that by the path it actually took, so that
 * editing `account_team` later never moves an engagement back.
 */
export function goesThroughPreparation(state: BotState, fields: EngagementFields): boolean {
  if (stepIndex(state.step) <= stepIndex('preparation')) return hasAccountTeam(fields);
  // The last time the discussion was entered going forward (an undo back into it says nothing).
  const entry = [...state.history].reverse().find((h) => h.to === 'discussion' && h.from !== null && stepIndex(h.from) < stepIndex('discussion'));
  return entry ? entry.from === 'preparation' : false;
}

/** The step a step label leads into (task 4060 belongs to offboarding). */
export function stepOfLabel(label: StepLabel, throughPreparation: boolean): Step {
  switch (label) {
    case 'migration-complete':
      return throughPreparation ? 'preparation' : 'discussion';
    case 'account-team-notified':
      return 'discussion';
    case 'workload-ready':
    case 'workload-not-ready':
      return 'follow-up';
    case 'follow-up-sent':
    case 'task-4060-done':
      return 'offboarding';
  }
}

/** Steps entered on the way from `from` (exclusive) to `to` (inclusive). */
export function forwardPath(from: Step, to: Step, throughPreparation: boolean): Step[] {
  const path: Step[] = [];
  for (let i = stepIndex(from) + 1; i <= stepIndex(to); i++) {
    const step = STEPS[i] as Step;
    if (step === 'preparation' && !throughPreparation) continue;
    path.push(step);
  }
  return path;
}
