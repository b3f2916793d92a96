// The overview the dashboard issue and the job summary open with: Mermaid bar charts GitHub draws
// (engagements per step, per days in step) and tables per FM and per region, in the report's
// language, read back as a reader (or GitHub's renderer) would, and the same bytes every time.
import { describe, expect, it } from 'vitest';
import { mermaidLabel, renderDashboard, renderScanSummary, type EngagementRow, type ScanFigures } from '../src/messages/dashboard.js';
import { testConfig, testMessages } from './support/model.js';

const LOCALES = ['en', 'pt-BR'] as const;
type Locale = (typeof LOCALES)[number];

let next = 10;
function row(step: string, stepOrder: number, fm: string, region: EngagementRow['region'], daysInStep: number, stalled = false): EngagementRow {
  const number = next++;
  return { number, url: `https://x/${number}`, customer: `Customer ${number}`, region, step, stepOrder, playbook: 'migration', daysInStep, stalled, fm };
}

/** Eight engagements over three steps, three FMs (one written in two cases), three regions, all four buckets. */
const ROWS: EngagementRow[] = [
  row('discussion', 2, 'fm-alice', 'EMEA', 20, true),
  row('preparation', 1, 'fm-bob', 'APJ', 0),
  row('discussion', 2, 'FM-Alice', 'Americas', 7),
  row('follow-up', 3, 'fm-carol', 'EMEA', 8),
  row('preparation', 1, 'fm-alice', 'EMEA', 14),
  row('discussion', 2, 'fm-bob', 'EMEA', 31, true),
  row('preparation', 1, 'fm-carol', 'Americas', 45, true),
  row('discussion', 2, 'fm-alice', 'APJ', 15),
];
const REPORT: ScanFigures = { rows: ROWS, invalid: [], stalled: 3, writes: 0, deferred: 0, repaired: 0 };

const WORDS = {
  en: {
    steps: ['preparation', 'discussion', 'follow-up'],
    headings: ['### Engagements per step', '### Days in their step', '### By FM', '### By region'],
    fmHeader: '| FM | engagements | stalled |',
    regionHeader: '| region | engagements | stalled |',
    americas: 'Americas',
  },
  'pt-BR': {
    steps: ['preparação', 'discussão', 'acompanhamento'],
    headings: ['### Envolvimentos por etapa', '### Dias na etapa atual', '### Por FM', '### Por região'],
    fmHeader: '| FM | envolvimentos | parados |',
    regionHeader: '| região | envolvimentos | parados |',
    americas: 'Américas',
  },
} as const;

interface Chart {
  lines: string[];
  labels: string[];
  values: number[];
  max: number;
}

/** Every ```mermaid block of a text. */
function mermaidBlocks(text: string): string[] {
  return [...text.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] ?? '');
}

/** An `xychart-beta` bar chart read back: its categories, values and y-axis top. */
function parseBarChart(block: string): Chart {
  const lines = block.split('\n');
  const xAxis = lines.find((l) => l.trim().startsWith('x-axis')) ?? '';
  const categories = /\[(.*)\]\s*$/.exec(xAxis)?.[1] ?? '';
  const labels = [...categories.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
  const bar = /^\s*bar \[(.*)\]$/m.exec(block)?.[1] ?? '';
  const values = bar.split(',').map((v) => Number(v.trim()));
  const max = Number(/^\s*y-axis "[^"]*" 0 --> (\d+)$/m.exec(block)?.[1]);
  return { lines, labels, values, max };
}

/** What GitHub's Mermaid needs of these charts: the diagram type first, quoted labels, numbers only as values. */
function expectPlausibleMermaid(block: string): void {
  const lines = block.split('\n');
  expect(lines[0]).toMatch(/^(pie|xychart-beta)$/);
  for (const line of lines.slice(1)) {
    expect(line, line).toMatch(
      /^ {4}(x-axis "[^"\n]*" \[(?:"[^"\n]*"(?:, "[^"\n]*")*)?\]|y-axis "[^"\n]*" 0 --> \d+|bar \[(?:\d+(?:, \d+)*)?\]|title "[^"\n]*"|"[^"\n]*" ?: ?\d+)$/,
    );
  }
  // Nothing Mermaid reads as a directive, an entity or HTML, and no fence inside.
  expect(block).not.toMatch(/%%|#\w+;|<|```/);
  for (const [quoted] of block.matchAll(/"[^"]*"/g)) expect(quoted).not.toMatch(/[<>&#%`]/);
  const chart = parseBarChart(block);
  expect(chart.labels.length).toBe(chart.values.length);
  for (const v of chart.values) expect(Number.isInteger(v) && v >= 0).toBe(true);
  expect(chart.max).toBeGreaterThanOrEqual(Math.max(1, ...chart.values));
}

/** The rows of the Markdown table right after a heading, as cells. */
function tableAfter(text: string, heading: string): string[][] {
  const start = text.indexOf(`${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const lines = text.slice(start).split('\n').slice(2);
  const table: string[][] = [];
  for (const line of lines) {
    if (!line.startsWith('|')) break;
    table.push(
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return table;
}

function render(locale: Locale, report: ScanFigures = REPORT) {
  const config = testConfig({ locale });
  return { dashboard: renderDashboard(testMessages(), config, report), summary: renderScanSummary(testMessages(), config, report) };
}

describe('dashboard and job summary charts', () => {
  describe.each(LOCALES)('%s', (locale) => {
    const words = WORDS[locale];
    const views = render(locale);

    it.each(['dashboard', 'summary'] as const)('the %s charts engagements per step, in playbook order, with the step names of its language', (which) => {
      const text = views[which];
      const blocks = mermaidBlocks(text);
      expect(blocks).toHaveLength(2);
      for (const block of blocks) expectPlausibleMermaid(block);
      const steps = parseBarChart(blocks[0] ?? '');
      expect(steps.labels).toEqual(words.steps);
      expect(steps.values).toEqual([3, 4, 1]);
      expect(steps.max).toBe(4);
      // The chart sits under its heading, in the report's language.
      for (const heading of words.headings) expect(text).toContain(`${heading}\n`);
      expect(text.indexOf(words.headings[0])).toBeLessThan(text.indexOf('```mermaid'));
    });

    it.each(['dashboard', 'summary'] as const)('the %s charts how long engagements have been in their step, in buckets of days', (which) => {
      const days = parseBarChart(mermaidBlocks(views[which])[1] ?? '');
      expect(days.labels).toEqual(['0–7', '8–14', '15–30', '31+']);
      // 0, 7 | 8, 14 | 20, 15 | 31, 45: the bounds fall in the lower bucket.
      expect(days.values).toEqual([2, 2, 2, 2]);
      expect(days.values.reduce((a, b) => a + b, 0)).toBe(ROWS.length);
    });

    it.each(['dashboard', 'summary'] as const)('the %s tables engagements and stalled ones per FM and per region', (which) => {
      const text = views[which];
      expect(text).toContain(`${words.fmHeader}\n|---|---:|---:|\n`);
      expect(text).toContain(`${words.regionHeader}\n|---|---:|---:|\n`);
      // One FM whatever the case of the login (shown as its first spelling in code-point order); most engagements first.
      expect(tableAfter(text, words.headings[2]).slice(2)).toEqual([
        ['FM\\-Alice', '4', '1'],
        ['fm\\-bob', '2', '1'],
        ['fm\\-carol', '2', '1'],
      ]);
      expect(tableAfter(text, words.headings[3]).slice(2)).toEqual([
        [words.americas, '2', '1'],
        ['APJ', '2', '0'],
        ['EMEA', '4', '2'],
      ]);
    });

    it('renders the same bytes for the same report, whatever order the rows came in', () => {
      expect(render(locale)).toEqual(views);
      const shuffled: ScanFigures = { ...REPORT, rows: [...ROWS].reverse() };
      expect(render(locale, shuffled)).toEqual(views);
    });
  });

  it('shows no chart and no table when there is no open engagement', () => {
    const empty: ScanFigures = { rows: [], invalid: [], stalled: 0, writes: 0, deferred: 0, repaired: 0 };
    for (const locale of LOCALES) {
      for (const text of Object.values(render(locale, empty))) {
        expect(text).not.toContain('```mermaid');
        expect(text).not.toContain('| FM |');
      }
    }
  });

  it('keeps a step name from ending its Mermaid label or reaching the renderer as syntax', () => {
    const hostile = 'Say "hi" %%{init: {"theme":"dark"}}%% <b>#quot; & `x`\nnext';
    const label = mermaidLabel(hostile);
    expect(label).not.toMatch(/["%<>#&`\n]/);
    expect([...label].length).toBeLessThanOrEqual(40);
    expect(mermaidLabel('  ')).toBe('?');
    expect(mermaidLabel('discussão')).toBe('discussão');
    // Through a playbook whose step has that name: the chart stays well-formed.
    const config = testConfig();
    const migration = config.playbooks.all.find((p) => p.name === 'migration');
    const step = migration?.steps.find((s) => s.key === 'discussion');
    expect(step).toBeDefined();
    const named = step ? { ...step, name: { ...step.name, en: hostile } } : undefined;
    const playbooks = { ...config.playbooks, all: config.playbooks.all.map((p) => (p === migration && named ? { ...p, steps: p.steps.map((s) => (s === step ? named : s)) } : p)) };
    const text = renderDashboard(testMessages(), { ...config, playbooks }, REPORT);
    const blocks = mermaidBlocks(text);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) expectPlausibleMermaid(block);
    expect(parseBarChart(blocks[0] ?? '').values).toEqual([3, 4, 1]);
  });

  it('stays within the issue body limit with thousands of engagements and FMs', () => {
    const many: EngagementRow[] = Array.from({ length: 3000 }, (_, i) => ({
      ...row(['preparation', 'discussion', 'follow-up'][i % 3] ?? 'preparation', (i % 3) + 1, `fm-${String(i).padStart(4, '0')}`, 'EMEA', i % 60, i % 7 === 0),
      number: 10_000 + i,
    }));
    const report: ScanFigures = { ...REPORT, rows: many, stalled: many.filter((r) => r.stalled).length };
    const { dashboard } = render('en', report);
    expect(dashboard.length).toBeLessThanOrEqual(65_536);
    expect(parseBarChart(mermaidBlocks(dashboard)[0] ?? '').values).toEqual([1000, 1000, 1000]);
    expect(dashboard).toMatch(/…and \d+ more\./);
  });
});
