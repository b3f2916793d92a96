// Templates: both locales carry the same set, and every message renders, for every step and
// branch, with every value filled — driven through the decision core, as the bot renders them.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, MESSAGE_NAMES, playbookTemplates, templateFiles } from '../src/files/templates.js';
import { builtInCatalog } from '../src/files/playbook-catalog.js';
import { renderDashboard, renderDashboardTitle, renderScanSummary } from '../src/messages/dashboard.js';
import type { ScanReport } from '../src/modes/scan.js';
import { walkEveryMessage } from '../src/modes/template-check.js';
import { testConfig, testMessages } from './support/model.js';

const LOCALES = ['en', 'pt-BR'] as const;

/** Every message the bot can post, from the rehearsal of the process, plus the scan's two views. */
function renderedMessages(locale: (typeof LOCALES)[number]): Map<string, string[]> {
  const config = testConfig({ locale });
  const seen = new Map<string, string[]>();
  for (const r of walkEveryMessage(config, testMessages(), locale)) seen.set(r.name, [...(seen.get(r.name) ?? []), r.text]);
  const report: ScanReport = {
    rows: [
      { number: 3, url: 'https://x/3', customer: 'A <b>', region: 'EMEA', step: 'discussion', stepOrder: 2, playbook: 'migration', daysInStep: 20, stalled: true, fm: 'fm-alice' },
      { number: 4, url: 'https://x/4', customer: 'B', region: 'APJ', step: 'offboarding', stepOrder: 4, playbook: 'enablement', daysInStep: 2, stalled: false, fm: 'fm-bob' },
      { number: 6, url: 'https://x/6', customer: 'C', region: 'Americas', step: 'discussion', stepOrder: 2, playbook: 'migration', daysInStep: 1, stalled: false, fm: 'fm-alice' },
    ],
    invalid: [{ number: 5, url: 'https://x/5', problems: [{ code: 'missing-key', key: 'customer' }, { code: 'yaml-syntax', line: 3, column: 7, detail: 'Map keys must be unique' }] }],
    stalled: 1,
    effects: [],
    writes: 4,
    deferred: 2,
    repaired: 1,
    decisionMs: 1,
    dashboard: 'updated',
  };
  seen.set('dashboard', [renderDashboard(testMessages(), config, report)]);
  seen.set('scan-summary', [renderScanSummary(testMessages(), config, report)]);
  seen.set('dashboard-title', [renderDashboardTitle(testMessages(), config)]);
  return seen;
}

describe('templates', () => {
  it('both locales have the same set of template files, and nothing else', () => {
    const expected = templateFiles(builtInCatalog().all, (f) => existsSync(join(BUILT_IN_TEMPLATES, 'en', f))).sort();
    for (const locale of LOCALES) expect(readdirSync(join(BUILT_IN_TEMPLATES, locale)).sort()).toEqual(expected);
  });

  describe.each(LOCALES)('%s', (locale) => {
    const seen = renderedMessages(locale);

    it('renders every message through the decision core', () => {
      expect([...seen.keys()].sort()).toEqual([...MESSAGE_NAMES, ...playbookTemplates(builtInCatalog().all)].sort());
    });

    it('leaves no value unfilled and no template syntax behind', () => {
      for (const [name, bodies] of seen) {
        for (const text of bodies) {
          expect(text, name).not.toMatch(/\{\{|\}\}|undefined|\[object Object\]|NaN/);
          expect(text.trim(), name).not.toBe('');
        }
      }
    });

    it('embeds the e-mail drafts with To and Subject blocks and the body as a block quote', () => {
      const preparation = seen.get('step-preparation')?.[0] ?? '';
      expect(preparation).toContain('ana@contoso.com; bo@contoso.com');
      // To and Subject, each a block a person can copy; the body a quote that wraps.
      expect(preparation.match(/\*\*\n```text\n/g)).toHaveLength(2);
      expect(preparation).toMatch(/```text\n[^`]+\n```/);
      expect(preparation).toMatch(locale === 'en' ? /\*\*Body\*\*\n> Hello,\n>\n> / : /\*\*Corpo\*\*\n> Olá,\n>\n> /);
      expect(preparation).toContain('mailto:ana%40contoso.com');
    });

    it('shows no ISO date or timestamp to a reader, and no ordinal, in any message', () => {
      for (const [name, bodies] of seen) {
        for (const text of bodies) {
          const visible = text.replace(/<!--[\s\S]*?-->/g, '');
          expect(visible, name).not.toMatch(/\d{4}-\d{2}-\d{2}/);
          expect(visible, name).not.toMatch(/\b\d{1,2}(st|nd|rd|th)\b/);
        }
      }
    });

    it('the dashboard and the job summary speak the report\'s language: title, region names and problems', () => {
      const [dashboard = '', summary = '', title = ''] = ['dashboard', 'scan-summary', 'dashboard-title'].map((n) => seen.get(n)?.[0]);
      const words = {
        en: { title: 'Engagement dashboard', americas: '| C | Americas |', problems: '`customer` is missing.; Line 3, column 7: the YAML does not parse (Map keys must be unique).' },
        'pt-BR': { title: 'Painel de envolvimentos', americas: '| C | Américas |', problems: 'Falta `customer`.; Linha 3, coluna 7: não foi possível interpretar o YAML (Map keys must be unique).' },
      }[locale];
      expect(title).toBe(words.title);
      expect(dashboard.split('\n')[0]).toBe(`## ${words.title}`);
      for (const text of [dashboard, summary]) {
        expect(text).toContain(words.americas);
        expect(text).toContain(`| [#5](https://x/5) | ${words.problems} |`);
        expect(text).not.toMatch(/missing-key|yaml-syntax/);
      }
    });
  });
});
