// The FastTrack playbook page "Conduct Engagement Completion Discussion (migration)" as data:
// its steps, the labels the FastTrack Manager (FM) adds to move between them, what the bot posts
// on entering each, the region queues and task 4060. Readable without knowing the rest of the code.

export const STEPS = [
  'awaiting-migration',
  'preparation',
  'discussion',
  'follow-up',
  'offboarding',
  'completed',
] as const;
export type Step = (typeof STEPS)[number];

export function stepIndex(step: Step): number {
  return STEPS.indexOf(step);
}

/** Every label the action uses, by its built-in name (the `labels` input can rename each). */
export const LABEL_KEYS = [
  'engagement',
  'migration-complete',
  'account-team-notified',
  'workload-ready',
  'workload-not-ready',
  'follow-up-sent',
  'task-4060-done',
  'stalled',
  'queue-transfer',
  'engagement-dashboard',
] as const;
export type LabelKey = (typeof LABEL_KEYS)[number];

/** Labels the FM adds, in the order the playbook expects them. */
export type StepLabel =
  | 'migration-complete'
  | 'account-team-notified'
  | 'workload-ready'
  | 'workload-not-ready'
  | 'follow-up-sent'
  | 'task-4060-done';

export const STEP_LABELS: readonly StepLabel[] = [
  'migration-complete',
  'account-team-notified',
  'workload-ready',
  'workload-not-ready',
  'follow-up-sent',
  'task-4060-done',
];

/** Colour and description of each label, used by `mode: setup`. */
export const LABEL_DEFINITIONS: Record<LabelKey, { color: string; description: string }> = {
  engagement: { color: '0e8a16', description: 'FastTrack engagement tracked by engagement-bot' },
  'migration-complete': { color: '1d76db', description: 'FM: the migration is complete' },
  'account-team-notified': { color: '1d76db', description: 'FM: the ATU e-mail was sent to the account team' },
  'workload-ready': { color: '5319e7', description: 'FM: the customer is ready to onboard another workload' },
  'workload-not-ready': { color: '5319e7', description: 'FM: the customer is not ready for another workload' },
  'follow-up-sent': { color: '1d76db', description: 'FM: the customer follow-up e-mail was sent' },
  'task-4060-done': { color: '0052cc', description: 'FM: FTOP task 4060 is marked complete' },
  stalled: { color: 'd93f0b', description: 'engagement-bot: no progress for longer than expected' },
  'queue-transfer': { color: 'fbca04', description: 'Tenant transfer request for the assignment team' },
  'engagement-dashboard': { color: 'c5def5', description: 'engagement-bot: dashboard of open engagements' },
};

/**
 * The gates between steps, in order. An engagement is in the furthest step whose gates, in
 * order, all have one of their labels on the issue. The account-team gate belongs to the
 * preparation path only: without account-team information, migration-complete leads straight to
 * the discussion and the ATU e-mail is skipped.
 */
export interface Gate {
  /** Any one of these labels opens the gate. */
  labels: readonly StepLabel[];
  /** The step the engagement is in once the gate is open. */
  enters: Step;
  /** Entered instead when the engagement does not go through preparation. */
  withoutPreparation?: Step;
  /** Only a gate on the preparation path (its label is harmless otherwise). */
  preparationOnly?: boolean;
}

export const GATES: readonly Gate[] = [
  { labels: ['migration-complete'], enters: 'preparation', withoutPreparation: 'discussion' },
  { labels: ['account-team-notified'], enters: 'discussion', preparationOnly: true },
  { labels: ['workload-ready', 'workload-not-ready'], enters: 'follow-up' },
  { labels: ['follow-up-sent'], enters: 'offboarding' },
];

/** Marked in FTOP during offboarding; with the queue move confirmed, it completes the engagement. */
export const COMPLETION_LABEL: StepLabel = 'task-4060-done';

/** What the FM is expected to do next in each step (named in out-of-order and stall messages). */
export const NEXT_LABELS: Record<Step, readonly StepLabel[]> = {
  'awaiting-migration': ['migration-complete'],
  preparation: ['account-team-notified'],
  discussion: ['workload-ready', 'workload-not-ready'],
  'follow-up': ['follow-up-sent'],
  offboarding: ['task-4060-done'],
  completed: [],
};

/** The message template posted on entering each step. */
export const STEP_MESSAGES: Record<Step, string> = {
  'awaiting-migration': 'welcome',
  preparation: 'step-preparation',
  discussion: 'step-discussion',
  'follow-up': 'step-follow-up',
  offboarding: 'step-offboarding',
  completed: 'step-completed',
};

export const REGIONS = ['Americas', 'APJ', 'EMEA'] as const;
export type Region = (typeof REGIONS)[number];

/** Accepted spellings of each region, compared case-insensitively and without accents. */
export function parseRegion(text: string): Region | null {
  const folded = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
  if (folded === 'americas' || folded === 'america') return 'Americas';
  if (folded === 'apj' || folded === 'apac') return 'APJ';
  if (folded === 'emea') return 'EMEA';
  return null;
}

/** Inactive FastTrack Center queues the tenant moves to (overridable with the `queues` input). */
export const DEFAULT_QUEUES: Record<Region, string> = {
  Americas: 'FTCQ Inactive – Americas',
  APJ: 'FTCQ Inactive – APJ',
  EMEA: 'FTCQ Inactive – EMEA',
};

/** FTOP task the FM marks complete in the offboarding step (mandatory, owned by the FM, all services). */
export const TASK_4060 = {
  id: 4060,
  mandatory: true,
  /** The task's names in each language of the playbook: in its text, and in the FTOP task table. */
  names: {
    en: { name: 'Offboarding Process Complete (migration)', ftopName: 'Disengagement Process is Complete (migration)' },
    'pt-BR': { name: 'Processo de Desligamento Concluído (migração)', ftopName: 'O Processo de Desligamento Está Concluído' },
  },
} as const;

/** The seed's Portuguese names of the inactive queues, accepted in `/queue-moved` for the default queues. */
export const QUEUE_ALIASES: Record<Region, string> = {
  Americas: 'FTCQ Inativo ‒ Américas',
  APJ: 'FTCQ Inativo ‒ APJ',
  EMEA: 'FTCQ Inativo ‒ EMEA',
};

/** The comment command the assignment team posts once the tenant is in the inactive queue. */
export const QUEUE_MOVED_COMMAND = '/queue-moved';

/** Default days without progress before an engagement is flagged as stalled. */
export const DEFAULT_STALL_DAYS = 14;
export const DEFAULT_TRANSFER_STALL_DAYS = 5;

/**
 * FTOP next action date: 31 December of the year after the offboarding step was entered,
 * counted in the configured time zone.
 */
export function nextActionDate(yearEntered: number): string {
  return `${yearEntered + 1}-12-31`;
}
