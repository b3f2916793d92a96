// The engagement as the bot sees it: the keys the FM writes and the keys the bot owns, both kept in
// the YAML front-matter at the top of the issue body.
import type { Region, Step } from './playbook.js';

export const LOCALES = ['en', 'pt-BR'] as const;
export type Locale = (typeof LOCALES)[number];

export function parseLocale(text: string): Locale | null {
  const folded = text.trim().replace('_', '-').toLowerCase();
  if (folded === 'en' || folded === 'en-us' || folded === 'en-gb') return 'en';
  if (folded === 'pt-br' || folded === 'pt') return 'pt-BR';
  return null;
}

export interface Contact {
  name: string | null;
  email: string;
}

/** Keys the FM writes. */
export interface EngagementFields {
  customer: string;
  tenant: string;
  region: Region;
  fm: string;
  accountTeam: Contact[];
  services: string[];
  completedActivities: string[];
  locale: Locale | null;
}

export const FM_KEYS = [
  'customer',
  'tenant',
  'region',
  'fm',
  'account_team',
  'services',
  'completed_activities',
  'locale',
] as const;

export const REQUIRED_FM_KEYS = ['customer', 'tenant', 'region', 'fm'] as const;

/** Keys the bot owns, in the order it writes them. */
export const BOT_KEYS = [
  'step',
  'step_since',
  'workload_ready',
  'task_4060',
  'next_action_date',
  'transfer',
  'stalled_since',
  'history',
  'completed_at',
] as const;
export type BotKey = (typeof BOT_KEYS)[number];

export interface HistoryEntry {
  at: string;
  by: string;
  from: Step | null;
  to: Step;
  via: string;
}

export interface Transfer {
  queue: string;
  /** `#12` in the engagement's repository, `owner/repo#12` elsewhere; null until opened. */
  request: string | null;
  requested_at: string | null;
  confirmed_by: string | null;
  confirmed_at: string | null;
}

/** Keys the bot owns. */
export interface BotState {
  step: Step;
  step_since: string;
  workload_ready: boolean | null;
  task_4060: 'pending' | 'done';
  next_action_date: string | null;
  transfer: Transfer | null;
  stalled_since: string | null;
  history: HistoryEntry[];
  completed_at: string | null;
}

export function hasAccountTeam(fields: EngagementFields): boolean {
  return fields.accountTeam.length > 0;
}
