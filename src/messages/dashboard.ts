// The scan's two views of all open engagements: the dashboard issue (grouped by step) and the
// job summary (one table, totals). Both are rendered from templates, compared, then written;
// both shorten their lists to stay within GitHub's size limits.
import type { Config } from '../process/settings.js';
import type { Problem } from '../process/frontmatter.js';
import { regionName, type Region } from '../process/region.js';
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

function view(config: Config, report: ScanFigures, cap: number) {
  // Steps in playbook order; steps of one name in several playbooks make one group.
  const steps = [...new Set([...report.rows].sort((a, b) => a.stepOrder - b.stepOrder).map((r) => r.step))];
  const groups = steps.map((step) => {
    const rows = report.rows.filter((r) => r.step === step).sort(byAttention);
    return { step: code(rows[0] ? stepName(rows[0], config) : step), count: rows.length, rows: rows.slice(0, cap).map((r) => rowView(r, config)), more: Math.max(0, rows.length - cap) };
  });
  const all = [...report.rows].sort(byAttention);
  return {
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
