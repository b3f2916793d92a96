// The engagement on the Projects (v2) board: what its item's fields should say, from the state.
// The edge compares with the item as read and writes only the values that changed.
import type { BotState } from '../process/engagement.js';
import { regionName } from '../process/region.js';
import { BOARD_FIELDS, type BoardField } from '../process/settings.js';
import type { Facts } from './facts.js';
import type { Effect } from './plan.js';

/** A calendar day in the configured zone, as a date field holds it. */
function day(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/**
 * The item's values when any differs from what the board shows (or the engagement is not on it
 * yet); nothing when the board was not read (the scan's page of issues) or could not be.
 */
export function boardValues(f: Facts, state: BotState): Effect[] {
  const seen = f.obs.board;
  if (!f.config.project || !seen || 'refused' in seen) return [];
  // The board speaks the `locale` input's language: one board, many engagements.
  const locale = f.config.locale;
  const values: Record<BoardField, string | null> = {
    Step: f.playbook.steps.find((s) => s.key === state.step)?.name[locale] ?? state.step,
    Region: regionName(f.fields.region, locale),
    FM: f.fields.fm,
    'Step since': day(state.step_since, f.config.timezone),
    'Next action date': state.next_action_date,
  };
  // The board's own names for the fields (the `project-fields` input).
  const named = Object.fromEntries(BOARD_FIELDS.map((field) => [f.config.projectFields[field], values[field]])) as Record<string, string | null>;
  const same = seen.onBoard && Object.entries(named).every(([name, value]) => (value ?? undefined) === seen.values[name]);
  return same ? [] : [{ kind: 'board', target: f.target, values: named }];
}

/** Why the board was not kept, once per run: which token to give, and how. */
export function boardRefusal(f: Facts): string[] {
  const seen = f.obs.board;
  if (!f.config.project || !seen || !('refused' in seen)) return [];
  return [
    `The board ${f.config.project.url} could not be read or written (${seen.refused}); the engagement moved as usual. ` +
      "The workflow's GITHUB_TOKEN cannot reach a project: give `project-token` a GitHub App installation token with the " +
      `${f.config.project.ownerKind === 'organization' ? 'organisation' : 'account'} permission Projects: read and write (actions/create-github-app-token), or a fine-grained token with access to the project.`,
  ];
}
