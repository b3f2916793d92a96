// A playbook is data: one YAML file per edition of the engagement-completion process
// (playbooks/<name>.yml, format in docs/playbooks.md). This module says what a loaded playbook is
// and answers questions about it; it names no step or label of any particular playbook.
import type { Locale } from './engagement.js';
import type { Region } from './region.js';

export type Localized = Record<Locale, string>;

/** The front-matter keys of the FM's that a step can be skipped on, or an e-mail addressed to. */
export type ContactField = 'account_team' | 'customer_contacts';
export type ListField = 'account_team' | 'services' | 'completed_activities';

export interface Gate {
  /** Any one of these labels opens the step. */
  labels: string[];
  /** Alternatives that record a value: which label opened the step, under a front-matter key. */
  records: { key: string; values: Record<string, boolean> } | null;
}

export interface EmailDraftSpec {
  /** The name templates use for the draft. */
  value: string;
  template: string;
  /** The FM's key whose contacts the draft is addressed to. */
  to: ContactField | null;
}

export interface StepSpec {
  key: string;
  name: Localized;
  /** Null for the first step (entered when the engagement is first seen) and the last (completion). */
  gate: Gate | null;
  /** Skipped when this key of the FM's is empty; its gate then opens the next step. */
  skipWhenEmpty: ListField | null;
  /** The template posted on entering the step. */
  message: string;
  emails: EmailDraftSpec[];
  /** Entering this step opens the transfer request. */
  handoff: boolean;
  /** Whether staying long in this step counts as a stall. */
  stall: boolean;
  /** Days in this step before a stall, when the step has its own figure (else the playbook's default). */
  stallDays: number | null;
  /** Where the step names its templates in the playbook file ("line 42, column 14"), for messages about them. */
  at?: { message: string; emails: string[] };
}

export interface Playbook {
  name: string;
  /** Where it was read from, for messages about it. */
  file: string;
  title: Localized;
  phase: Localized | null;
  /** What completes before the process starts ("migration"). */
  milestone: Localized;
  servicesLabel: Localized;
  keyInputs: Record<Locale, string[]>;
  keyOutputs: Record<Locale, string[]>;
  /** The labels the FM adds, with their colour and description. */
  labels: Record<string, { color: string; description: string }>;
  steps: StepSpec[];
  task: { id: number; label: string; name: Localized; ftopName: Localized };
  /** FTOP next action date, computed on entering `fromStep`; null when the playbook has none. */
  nextActionDate: { rule: 'end-of-next-year'; fromStep: string } | null;
  handoff: {
    /** The step whose entry opens the transfer request. */
    step: string;
    command: string;
    /** Each region's queue, in each language. */
    queues: Record<Region, Localized>;
    /** Other spellings the confirmation command accepts. */
    aliases: Record<Region, string[]>;
    fmKeepsAssignment: boolean;
  };
  stallDays: { default: number; handoff: number };
  nextSteps: Record<Locale, string[]>;
}

export function stepIndex(playbook: Playbook, step: string): number {
  return playbook.steps.findIndex((s) => s.key === step);
}

export function stepSpec(playbook: Playbook, step: string): StepSpec {
  const found = playbook.steps.find((s) => s.key === step);
  if (!found) throw new Error(`playbook ${playbook.name} has no step "${step}"`);
  return found;
}

export function firstStep(playbook: Playbook): string {
  return (playbook.steps[0] as StepSpec).key;
}

/** The step that completes the engagement. */
export function finalStep(playbook: Playbook): string {
  return (playbook.steps.at(-1) as StepSpec).key;
}

export function isBefore(playbook: Playbook, a: string, b: string): boolean {
  return stepIndex(playbook, a) < stepIndex(playbook, b);
}

/** Every label the FM adds in this playbook (gates and the task), in the playbook's order. */
export function stepLabels(playbook: Playbook): string[] {
  return [...playbook.steps.flatMap((s) => s.gate?.labels ?? []), playbook.task.label];
}

/** The front-matter key that records the task (`task_<id>`). */
export function taskKey(playbook: Playbook): string {
  return `task_${playbook.task.id}`;
}

/** The front-matter keys the playbook records from alternatives, in step order. */
export function recordKeys(playbook: Playbook): string[] {
  return playbook.steps.flatMap((s) => (s.gate?.records ? [s.gate.records.key] : []));
}

export interface PlaybookCatalog {
  default: Playbook;
  /** The configured playbook first, then the built-in ones; names are unique. */
  all: Playbook[];
}
