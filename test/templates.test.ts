// Templates: both locales carry the same set, and every message renders, for every step and
// branch, with every value filled — driven through the decision core, as the bot renders them.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, MESSAGE_NAMES, playbookTemplates, templateFiles } from '../src/files/templates.js';
import { builtInCatalog } from '../src/files/playbook-catalog.js';
import { renderDashboard, renderScanSummary } from '../src/messages/dashboard.js';
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
      { number: 3, url: 'https://x/3', customer: 'A <b>', region: 'EMEA', step: 'discussion', stepOrder: 2, playbook: 'migration', daysInStep: 20, stalled: true },
      { number: 4, url: 'https://x/4', customer: 'B', region: 'APJ', step: 'offboarding', stepOrder: 4, playbook: 'enablement', daysInStep: 2, stalled: false },
    ],
    invalid: [{ number: 5, url: 'https://x/5', problems: 'customer: missing-key' }],
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

    it('embeds the e-mail drafts with To, Subject and Body blocks', () => {
      const preparation = seen.get('step-preparation')?.[0] ?? '';
      expect(preparation).toContain('ana@contoso.com; bo@contoso.com');
      // To, Subject and Body, each a block a person can copy.
      expect(preparation.match(/\*\*\n```text\n/g)).toHaveLength(3);
      expect(preparation).toMatch(/```text\n[^`]+\n```/);
      expect(preparation).toContain('mailto:ana%40contoso.com');
    });
  });
});
