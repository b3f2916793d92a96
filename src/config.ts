// The action's inputs, parsed and checked in one place. A bad input stops the run with one
// message listing every problem, before anything is read from or written to GitHub.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { LOCALES, parseLocale, type Locale } from './process/engagement.js';
import { labelKeys } from './process/labels.js';
import { catalogWith, type PlaybookCatalog } from './files/playbook-catalog.js';
import { DEFAULT_PLAYBOOK, PlaybookError, loadPlaybook } from './files/playbook-file.js';
import { parseRegion } from './process/region.js';
import { BOARD_FIELDS, parseRepo, type BoardField, type Config, type Mode, type ProjectRef, type RepoRef } from './process/settings.js';

export { parseRepo, repoName, sameRepo, type Config, type IssueTarget, type Mode, type RepoRef } from './process/settings.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid action inputs:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads one input by its action.yml name; '' when not set (as @actions/core does). */
export type InputReader = (name: string) => string;

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/;

function parseLogins(name: string, text: string, problems: string[]): string[] {
  const logins = text
    .split(/[,\n]/)
    .map((s) => s.trim().replace(/^@/, ''))
    .filter((s) => s !== '');
  for (const login of logins) {
    if (!LOGIN.test(login)) problems.push(`${name}: "${login}" is not a GitHub login`);
  }
  return [...new Set(logins.map((l) => l))];
}

function parseWholeNumber<T extends number | null>(name: string, text: string, fallback: T, problems: string[], min: number): number | T {
  if (text.trim() === '') return fallback;
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < min) {
    problems.push(`${name}: expected a whole number of at least ${min}, got "${text}"`);
    return fallback;
  }
  return n;
}

function parseBoolean(name: string, text: string, fallback: boolean, problems: string[]): boolean {
  const t = text.trim().toLowerCase();
  if (t === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(t)) return true;
  if (['false', 'no', 'off', '0'].includes(t)) return false;
  problems.push(`${name}: expected true or false, got "${text}"`);
  return fallback;
}

function parseYamlMap(name: string, text: string, problems: string[]): Map<string, string> {
  const map = new Map<string, string>();
  if (text.trim() === '') return map;
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 0 });
  } catch (error) {
    problems.push(`${name}: not valid YAML (${String((error as Error).message).split('\n')[0]})`);
    return map;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${name}: expected a YAML map such as "key: value"`);
    return map;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push(`${name}: the value of "${key}" must be non-empty text`);
      continue;
    }
    map.set(key, v.trim());
  }
  return map;
}

function isTimeZone(zone: string): boolean {
  if (zone === 'UTC') return true; // the default: no need to load the time-zone data to know it
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The configured playbook (a built-in name or a path in the checkout), checked before anything runs. */
function readPlaybooks(nameOrPath: string, env: NodeJS.ProcessEnv, problems: string[]): PlaybookCatalog | null {
  try {
    return catalogWith(loadPlaybook(nameOrPath, env.GITHUB_WORKSPACE || process.cwd()));
  } catch (error) {
    if (!(error instanceof PlaybookError)) throw error;
    problems.push(`playbook: ${error.message}`);
    return null;
  }
}

/** Every label's name: its key, unless the `labels` input renames it. */
function parseLabels(text: string, playbooks: PlaybookCatalog | null, problems: string[]): Config['labels'] {
  const keys = labelKeys(playbooks?.all ?? []);
  const labels = Object.fromEntries(keys.map((k) => [k, k])) as Config['labels'];
  if (!playbooks) return labels;
  for (const [key, name] of parseYamlMap('labels', text, problems)) {
    if (!keys.includes(key)) {
      problems.push(`labels: "${key}" is not a label of this action; known labels: ${keys.join(', ')}`);
      continue;
    }
    if (name.length > 50) problems.push(`labels: "${name}" is longer than GitHub's 50 characters`);
    labels[key] = name;
  }
  const seen = new Map<string, string>();
  for (const key of keys) {
    const folded = (labels[key] as string).toLowerCase();
    const other = seen.get(folded);
    if (other) problems.push(`labels: "${key}" and "${other}" would both be named "${labels[key]}"`);
    seen.set(folded, key);
  }
  return labels;
}

/** A number of days, or a YAML map of step key → days (`discussion: 21`). */
function parseStallDays(text: string, problems: string[]): Config['stallDays'] {
  if (!text.includes(':')) return parseWholeNumber('stall-days', text, null, problems, 1);
  const days: Record<string, number> = {};
  for (const [step, value] of Object.entries(parseYamlValue('stall-days', text, problems, '"discussion: 21", or a number of days') ?? {})) {
    const n = parseWholeNumber(`stall-days: ${step}`, String(value), 0, problems, 1);
    if (n > 0) days[step] = n;
  }
  return days;
}

function parseTeam(text: string, problems: string[]): Config['assignmentTeam'] {
  const team = text.trim().replace(/^@/, '');
  if (team === '') return null;
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(team);
  if (match) return { org: match[1] as string, slug: match[2] as string };
  problems.push(`assignment-team: expected org/team-slug, got "${team}"`);
  return null;
}

function parseRepoInput(name: string, text: string, fallback: RepoRef, problems: string[]): RepoRef {
  if (text.trim() === '') return fallback;
  const parsed = parseRepo(text);
  if (!parsed) problems.push(`${name}: expected owner/repo, got "${text.trim()}"`);
  return parsed ?? fallback;
}

/** Region → name for every language, or language → (region → name), e.g. `pt-BR: {EMEA: FTCQ Inativo ‒ EMEA}`. */
function parseQueues(text: string, problems: string[]): Config['queues'] {
  const queues: Config['queues'] = {};
  const top = text.trim() === '' ? null : parseYamlValue('queues', text, problems);
  // A map of maps names the queues per language.
  const perLocale = top !== null && Object.values(top).some((v) => v !== null && typeof v === 'object');
  if (text.trim() !== '' && top === null) return queues;
  const groups: Array<[Locale[], string]> = perLocale
    ? Object.entries(top ?? {}).flatMap(([key, value]): Array<[Locale[], string]> => {
        const locale = parseLocale(key);
        if (!locale) problems.push(`queues: "${key}" is not a language; expected en or pt-BR`);
        return locale ? [[[locale], stringifyYaml(value)]] : [];
      })
    : [[[...LOCALES], text]];
  for (const [locales, yaml] of groups) {
    for (const [key, name] of parseYamlMap('queues', yaml, problems)) {
      const region = parseRegion(key);
      if (!region) problems.push(`queues: "${key}" is not a region; expected Americas, APJ or EMEA`);
      else for (const l of locales) queues[l] = { ...queues[l], [region]: name };
    }
  }
  return queues;
}

function parseYamlValue(name: string, text: string, problems: string[], example = '"EMEA: FTCQ Inactive – EMEA", or one such map per language'): Record<string, unknown> | null {
  try {
    const value = parseYaml(text, { maxAliasCount: 0 }) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  problems.push(`${name}: expected a YAML map such as ${example}`);
  return null;
}

function parseLocaleInput(text: string, problems: string[]): Locale {
  const locale = parseLocale(text.trim() || 'en');
  if (!locale) problems.push(`locale: expected en or pt-BR, got "${text.trim()}"`);
  return locale ?? 'en';
}

function parseTimeZone(text: string, problems: string[]): string {
  const timezone = text.trim() || 'UTC';
  if (!isTimeZone(timezone)) problems.push(`timezone: "${timezone}" is not an IANA time zone (for example Europe/Lisbon)`);
  return timezone;
}

function parseMode(text: string, problems: string[]): Mode {
  const modeText = text.trim() || 'auto';
  const mode = (['auto', 'event', 'scan', 'setup'] as const).find((m) => m === modeText);
  if (!mode) problems.push(`mode: expected auto, event, scan or setup, got "${modeText}"`);
  return mode ?? 'auto';
}

const PROJECT_URL = /^https:\/\/github\.com\/(orgs|users)\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/projects\/(\d{1,9})\/?$/;

function parseProject(text: string, problems: string[]): ProjectRef | null {
  const value = text.trim();
  if (value === '') return null;
  const m = PROJECT_URL.exec(value);
  if (!m) {
    problems.push(`project: expected a project's URL, https://github.com/orgs/ORG/projects/N or https://github.com/users/USER/projects/N, got "${value}"`);
    return null;
  }
  return { ownerKind: m[1] === 'orgs' ? 'organization' : 'user', owner: m[2] as string, number: Number(m[3]), url: value.replace(/\/$/, '') };
}

/** The board's field names: the defaults, renamed by a YAML map (`Step: Etapa`). */
function parseProjectFields(text: string, problems: string[]): Record<BoardField, string> {
  const fields = Object.fromEntries(BOARD_FIELDS.map((f) => [f, f])) as Record<BoardField, string>;
  for (const [key, name] of parseYamlMap('project-fields', text, problems)) {
    if (!(BOARD_FIELDS as readonly string[]).includes(key)) {
      problems.push(`project-fields: "${key}" is not a field the bot writes; known fields: ${BOARD_FIELDS.join(', ')}`);
      continue;
    }
    fields[key as BoardField] = name;
  }
  return fields;
}

/** Builds the configuration from the inputs and the runner's environment. */
export function parseConfig(input: InputReader, env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const token = input('github-token').trim();
  if (token === '') problems.push('github-token: no token (the default is ${{ github.token }})');
  const repo = parseRepo(env.GITHUB_REPOSITORY ?? '');
  if (!repo) problems.push(`GITHUB_REPOSITORY: expected owner/repo, got "${env.GITHUB_REPOSITORY ?? ''}"`);
  const here = repo ?? { owner: '', name: '' };
  const playbooks = readPlaybooks(input('playbook').trim() || DEFAULT_PLAYBOOK, env, problems);
  const config: Config = {
    mode: parseMode(input('mode'), problems),
    token,
    repo: here,
    playbooks: playbooks ?? ({ default: null, all: [] } as unknown as PlaybookCatalog),
    labels: parseLabels(input('labels'), playbooks, problems),
    assignmentTeam: parseTeam(input('assignment-team'), problems),
    assignmentTeamMembers: parseLogins('assignment-team-members', input('assignment-team-members'), problems),
    assignmentRepo: parseRepoInput('assignment-repo', input('assignment-repo'), here, problems),
    assignmentAssignees: parseLogins('assignment-assignees', input('assignment-assignees'), problems),
    stallDays: parseStallDays(input('stall-days'), problems),
    transferStallDays: parseWholeNumber('transfer-stall-days', input('transfer-stall-days'), null, problems, 1),
    locale: parseLocaleInput(input('locale'), problems),
    timezone: parseTimeZone(input('timezone'), problems),
    templatesPath: input('templates-path').trim() || null,
    queues: parseQueues(input('queues'), problems),
    dryRun: parseBoolean('dry-run', input('dry-run'), false, problems),
    maxWrites: parseWholeNumber('max-writes', input('max-writes'), 200, problems, 1),
    dashboard: parseBoolean('dashboard', input('dashboard'), true, problems),
    project: parseProject(input('project'), problems),
    projectToken: input('project-token').trim() || null,
    projectFields: parseProjectFields(input('project-fields'), problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
