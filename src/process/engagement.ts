// The engagement as the bot sees it: the keys the FM writes and the keys the bot owns, both kept in
// the YAML front-matter at the top of the issue body.
import type { Region } from './region.js';

export const LOCALES = ['en', 'pt-BR'] as const;
export type Locale = (typeof LOCALES)[number];

export function parseLocale(text: string): Locale | null {
  const folded = text.trim().replace('_', '-').toLowerCase();
  if (folded === 'en' || folded === 'en-us' || folded === 'en-gb') return 'en';
  if (folded === 'pt-br' || folded === 'pt') return 'pt-BR';
  return null;
}

/**
 * The language a body's front-matter asks for, read from its `locale:` line alone, so it is found
 * even when the rest of the front-matter does not parse (the problem comment is then written in
 * it). Null when there is no such line or it names no language the bot speaks.
 */
export function localeWritten(body: string): Locale | null {
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!/^---[ \t]*$/.test(lines[0] ?? '')) return null;
  for (const line of lines.slice(1)) {
    if (/^(---|\.\.\.)\s*$/.test(line)) break;
    const written = /^locale[ \t]*:[ \t]*(["']?)([A-Za-z_-]+)\1[ \t]*(?:#.*)?$/.exec(line);
    if (written) return parseLocale(written[2] as string);
  }
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
  /** The FM's name, signing the e-mail drafts; null: the login signs. */
  fmName: string | null;
  accountTeam: Contact[];
  /** The customer's contacts, addressing the customer follow-up e-mail. */
  customerContacts: Contact[];
  services: string[];
  completedActivities: string[];
  locale: Locale | null;
  /** The playbook the FM chose for this engagement; null for the configured one. */
  playbook: string | null;
}

export const FM_KEYS = [
  'customer',
  'tenant',
  'region',
  'fm',
  'fm_name',
  'account_team',
  'customer_contacts',
  'services',
  'completed_activities',
  'locale',
  'playbook',
] as const;

export const REQUIRED_FM_KEYS = ['customer', 'tenant', 'region', 'fm'] as const;

/**
 * Keys the bot owns, in the order it writes them. A playbook adds its own after `step_since`:
 * the values its alternatives record and its task (`task_<id>`); see `botKeys`.
 */
export const BOT_KEYS = ['step', 'step_since', 'next_action_date', 'transfer', 'stalled_since', 'history', 'completed_at'] as const;
export type BotKey = string;

export interface HistoryEntry {
  at: string;
  by: string;
  from: string | null;
  to: string;
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
  step: string;
  step_since: string;
  /** What the playbook's alternatives recorded, by front-matter key (null: not answered yet). */
  recorded: Record<string, boolean | null>;
  /** The playbook's FTOP task, by its front-matter key `task_<id>`. */
  tasks: Record<string, 'pending' | 'done'>;
  next_action_date: string | null;
  transfer: Transfer | null;
  stalled_since: string | null;
  history: HistoryEntry[];
  completed_at: string | null;
}

