// The scan's two views of all open engagements: the dashboard issue (grouped by step) and the
// job summary (one table, totals). Both are rendered from templates, compared, then written;
// both shorten their lists to stay within GitHub's size limits. Both open with the same overview:
// two Mermaid bar charts (per step, per days in step) and two tables (per FM, per region), built
// from the rows alone, sorted, so an unchanged report renders byte for byte the same.
import type { Config } from '../process/settings.js';
import type { Problem } from '../process/frontmatter.js';
import { REGIONS, regionName, type Region } from '../process/region.js';
import { code, inline } from './markdown.js';
import { problemValues } from './problems.js';
import { withMarker } from '../process/markers.js';
import type { MessageName, Messages } from './messages.js';

export interface EngagementRow {
  number: number;
  url: string;
  customer: string;
  region: Region;
  step: string;
  /** The step's position in its playbook (the dashboard groups and orders by it). */
  stepOrder: number;
  playbook: string;
  daysInStep: number;
  stalled: boolean;
  /** The FM's login, as the front-matter has it (validated, without `@`). */
  fm: string;
}

export interface InvalidRow {
  number: number;
  url: string;
  /** Described in the report's language by the templates (`_problem.md.hbs`). */
  problems: Problem[];
}

/** What the scan counted: the rows of both views and its totals. */
export interface ScanFigures {
  rows: EngagementRow[];
  invalid: InvalidRow[];
  stalled: number;
  writes: number;
  /** Effects decided but not written because the write cap was reached. */
  deferred: number;
  repaired: number;
}

const MAX_ISSUE_BODY = 65_536;
/** GitHub keeps at most 1 MiB of job summary per step. */
const MAX_SUMMARY = 1_000_000;
const CAPS = [Infinity, 1000, 500, 200, 100, 50, 20, 10, 0];

/** A step by its name in the report's language, from the engagement's playbook. */
function stepName(r: EngagementRow, config: Config): string {
  return config.playbooks.all.find((p) => p.name === r.playbook)?.steps.find((s) => s.key === r.step)?.name[config.locale] ?? r.step;
}

function rowView(r: EngagementRow, config: Config) {
  return { ref: `#${r.number}`, url: r.url, customer: inline(r.customer), region: regionName(r.region, config.locale), step: code(stepName(r, config)), days: r.daysInStep, stalled: r.stalled };
}

/** Longest in their step first, so a shortened list keeps the ones that need attention. */
function byAttention(a: EngagementRow, b: EngagementRow): number {
  return Number(b.stalled) - Number(a.stalled) || b.daysInStep - a.daysInStep || a.number - b.number;
}

/** The days-in-step chart's buckets: each holds the engagements up to `upTo` days (inclusive). */
export const DAY_BUCKETS = [
  { upTo: 7, label: '0–7' },
  { upTo: 14, label: '8–14' },
  { upTo: 30, label: '15–30' },
  { upTo: Infinity, label: '31+' },
] as const;

const MERMAID_LABEL_LENGTH = 40;

/**
 * Text for a quoted Mermaid label: one line, no `"` (which would end the label), no `%` (a
 * `%%{…}%%` directive is read anywhere in a diagram), no `#…;` entity, no HTML; at most 40
 * characters, so a chart stays small whatever a playbook calls its steps.
 */
export function mermaidLabel(text: string): string {
  const clean = text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/["`]/g, "'")
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/&/g, '＆')
    .replace(/#/g, '＃')
    .replace(/%/g, '％')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...clean];
  return chars.length > MERMAID_LABEL_LENGTH ? `${chars.slice(0, MERMAID_LABEL_LENGTH - 1).join('').trimEnd()}…` : clean || '?';
}

/** A bar chart's data as the template writes it: `x-axis [{{labels}}]`, `bar [{{values}}]`, the y-axis up to `max`. */
function barChart(bars: { label: string; count: number }[]) {
  return {
    labels: bars.map((b) => `"${mermaidLabel(b.label)}"`).join(', '),
    values: bars.map((b) => String(b.count)).join(', '),
    max: Math.max(1, ...bars.map((b) => b.count)),
  };
}

/** Engagements and stalled ones per key, in the order of `keys`. */
function tally<K>(rows: EngagementRow[], keyOf: (r: EngagementRow) => K, keys: K[]): { key: K; count: number; stalled: number }[] {
  return keys.map((key) => {
    const mine = rows.filter((r) => keyOf(r) === key);
    return { key, count: mine.length, stalled: mine.filter((r) => r.stalled).length };
  });
}

/** Code-point order, the same on every machine (no locale collation). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The overview both views open with. Steps in playbook order (as the groups), buckets in order,
 * FMs by engagements then login (logins compared case-insensitively, shown as the smallest
 * spelling), regions in their fixed order.
 */
function overview(config: Config, report: ScanFigures, steps: { name: string; count: number }[], cap: number) {
  const bucketOf = (r: EngagementRow) => DAY_BUCKETS.findIndex((b) => r.daysInStep <= b.upTo);
  const days = DAY_BUCKETS.map((b, i) => ({ label: b.label, count: report.rows.filter((r) => bucketOf(r) === i).length }));
  const spelling = new Map<string, string>();
  for (const r of report.rows) {
    const key = r.fm.toLowerCase();
    const seen = spelling.get(key);
    if (seen === undefined || byText(r.fm, seen) < 0) spelling.set(key, r.fm);
  }
  const fms = tally(report.rows, (r) => r.fm.toLowerCase(), [...spelling.keys()]).sort((a, b) => b.count - a.count || b.stalled - a.stalled || byText(a.key, b.key));
  return {
    charts: { steps: barChart(steps.map((s) => ({ label: s.name, count: s.count }))), days: barChart(days) },
    byFm: fms.slice(0, cap).map((f) => ({ fm: inline(spelling.get(f.key) ?? f.key), count: f.count, stalled: f.stalled })),
    byFmMore: Math.max(0, fms.length - cap),
    byRegion: tally(report.rows, (r) => r.region, [...REGIONS]).map((g) => ({ region: regionName(g.key, config.locale), count: g.count, stalled: g.stalled })),
  };
}

function view(config: Config, report: ScanFigures, cap: number) {
  // Steps in playbook order; steps of one name in several playbooks make one group.
  const steps = [...new Set([...report.rows].sort((a, b) => a.stepOrder - b.stepOrder).map((r) => r.step))];
  const groups = steps.map((step) => {
    const rows = report.rows.filter((r) => r.step === step).sort(byAttention);
    const name = rows[0] ? stepName(rows[0], config) : step;
    return { name, step: code(name), count: rows.length, rows: rows.slice(0, cap).map((r) => rowView(r, config)), more: Math.max(0, rows.length - cap) };
  });
  const all = [...report.rows].sort(byAttention);
  return {
    ...overview(config, report, groups, cap),
    groups: groups.filter((g) => g.count > 0),
    rows: all.slice(0, cap).map((r) => rowView(r, config)),
    more: Math.max(0, all.length - cap),
    total: report.rows.length,
    stalled: report.stalled,
    invalid: report.invalid.slice(0, cap).map((i) => ({ ref: `#${i.number}`, url: i.url, problems: i.problems.map(problemValues) })),
    invalidCount: report.invalid.length,
    invalidMore: Math.max(0, report.invalid.length - cap),
    writes: report.writes,
    deferred: report.deferred,
    repaired: report.repaired,
    maxWrites: config.maxWrites,
    dryRun: config.dryRun,
    labels: { stalled: code(config.labels.stalled) },
  };
}

function renderWithin(messages: Messages, name: MessageName, config: Config, report: ScanFigures, limit: number, marker: string | null): string {
  let text = '';
  for (const cap of CAPS) {
    const rendered = messages.render(name, config.locale, view(config, report, cap));
    text = marker ? withMarker(rendered, marker) : rendered;
    if (text.length <= limit) return text;
  }
  return text.slice(0, limit);
}

export function renderDashboard(messages: Messages, config: Config, report: ScanFigures): string {
  return renderWithin(messages, 'dashboard', config, report, MAX_ISSUE_BODY, 'dashboard');
}

export function renderScanSummary(messages: Messages, config: Config, report: ScanFigures): string {
  return renderWithin(messages, 'scan-summary', config, report, MAX_SUMMARY, null);
}

/** The dashboard issue's title in the report's language (the scan finds the issue by its label, never by this). */
export function renderDashboardTitle(messages: Messages, config: Config): string {
  return (messages.render('dashboard-title', config.locale, {}).split('\n')[0] ?? '').trim().slice(0, 256) || 'Engagement dashboard';
}
