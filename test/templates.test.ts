// Templates: both locales carry the same set, and every message renders, for every step and
// branch, with every value filled — driven through the decision core, as the bot renders them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../src/effects.js';
import { BUILT_IN_TEMPLATES, MESSAGE_FILES, MESSAGE_NAMES, PARTIAL_FILES } from '../src/templates.js';
import type { Observation } from '../src/observation.js';
import { renderDashboard, renderScanSummary } from '../src/dashboard.js';
import type { ScanReport } from '../src/modes/scan.js';
import { ASSIGNER, ATU_FIELDS, FM, NO_ATU_FIELDS, attempt, body, humanComment, labelled, observation, settle, testConfig, testMessages } from './support/model.js';

const LOCALES = ['en', 'pt-BR'] as const;

function at(minutes: number): string {
  return new Date(Date.parse('2026-11-25T10:00:00Z') + minutes * 60_000).toISOString().replace('.000', '');
}

/** Every message the bot can post, collected from scenarios covering each step and branch. */
function renderedMessages(locale: (typeof LOCALES)[number]): Map<string, string[]> {
  const config = testConfig({ locale });
  const seen = new Map<string, string[]>();
  const collect = (effects: Effect[]) => {
    for (const e of effects) {
      if (e.kind === 'comment') seen.set(e.template, [...(seen.get(e.template) ?? []), e.body]);
      if (e.kind === 'open-transfer-request') {
        seen.set('transfer-request', [...(seen.get('transfer-request') ?? []), e.body]);
        seen.set('transfer-request-title', [e.title]);
      }
    }
  };
  const run = (o: Observation, when: string) => {
    const s = settle(o, when, config);
    collect(s.effects);
    return s.after;
  };
  const label = (o: Observation, add: string[], remove: string[], when: string) => {
    const labels = o.issue.labels.filter((l) => !remove.includes(l)).concat(add);
    return run({ ...o, issue: { ...o.issue, labels }, trigger: add.length ? labelled('labeled', add.at(-1) as string) : labelled('unlabeled', remove[0] as string) }, when);
  };

  for (const [fields, ready] of [
    [ATU_FIELDS, 'workload-ready'],
    [NO_ATU_FIELDS, 'workload-not-ready'],
  ] as const) {
    let o = run(observation({ body: body(fields), assignees: [] }), at(0));
    o = label(o, ['workload-ready'], [], at(1)); // out of order
    o = label(o, ['migration-complete'], [], at(2));
    o = run({ ...o, issue: { ...o.issue, assignees: [] }, trigger: { kind: 'issues', action: 'unassigned', sender: FM } }, at(3));
    if (fields === ATU_FIELDS) o = label(o, ['account-team-notified'], [], at(4));
    o = label(o, [ready], [], at(5));
    o = label(o, ['follow-up-sent'], [], at(6));
    o = label(o, [], ['follow-up-sent'], at(7)); // undo: cancels the transfer request
    o = label(o, ['follow-up-sent'], [], at(8)); // reopens it
    const early = humanComment('/queue-moved Nowhere', ASSIGNER, at(9));
    o = run({ ...o, confirmations: [attempt(early, 'engagement')] }, at(9));
    for (const [reason, i] of [['not-member', 10], ['not-collaborator', 11], ['check-impossible', 12]] as const) {
      const c = humanComment('/queue-moved', 'mallory', at(i));
      o = run({ ...o, confirmations: [attempt(c, 'transfer-request', { ok: false, reason, detail: 'detail' })] }, at(i));
    }
    const wrong = humanComment('/queue-moved FTCQ Inactive – APJ', ASSIGNER, at(13));
    o = run({ ...o, confirmations: [attempt(wrong, 'transfer-request')] }, at(13));
    o = label(o, ['task-4060-done'], [], at(14));
    const ok = humanComment('/queue-moved', ASSIGNER, at(15));
    // On the request, the receipt tells the team; on the engagement, a closing note goes to the request.
    o = run({ ...o, confirmations: [attempt(ok, fields === ATU_FIELDS ? 'transfer-request' : 'engagement')] }, at(15));
    o = run({ ...o, issue: { ...o.issue, state: 'open' }, trigger: { kind: 'issues', action: 'reopened', sender: FM } }, at(16));
  }
  // Confirmation first, then a second one; and one before any transfer request.
  let o = run(observation({ body: body(NO_ATU_FIELDS) }), at(0));
  const tooEarly = humanComment('/queue-moved', ASSIGNER, at(1));
  o = run({ ...o, confirmations: [attempt(tooEarly, 'engagement')] }, at(1));
  o = label(o, ['migration-complete', 'workload-ready', 'follow-up-sent'], [], at(2));
  const first = humanComment('/queue-moved', ASSIGNER, at(3));
  const second = humanComment('/queue-moved', 'someone-else', at(4));
  run({ ...o, confirmations: [attempt(first), attempt(second)] }, at(4));
  // Both workload labels at once; a hand edit of a bot-owned key; invalid and oversized bodies.
  let w = run(observation({ body: body(ATU_FIELDS) }), at(0));
  w = label(w, ['migration-complete', 'account-team-notified', 'workload-ready', 'workload-not-ready'], [], at(1));
  const hand = w.issue.body.replace('step: follow-up', 'step: completed');
  run({ ...w, issue: { ...w.issue, body: hand }, trigger: { kind: 'issues', action: 'edited', sender: FM, edit: { before: w.issue.body, after: hand } } }, at(2));
  run(observation({ body: '---\ncustomer: [x\n---\n' }), at(0));
  run(observation({ body: body(ATU_FIELDS, `\n${'x'.repeat(65_400)}\n`) }), at(0));
  // The scheduled run: a stall in a step, and a wait on the assignment team.
  const quiet = run(observation({ body: body(ATU_FIELDS) }), at(0));
  run({ ...quiet, trigger: { kind: 'scan' } }, at(60 * 24 * 20));
  let waiting = run(observation({ body: body(NO_ATU_FIELDS) }), at(0));
  waiting = label(waiting, ['migration-complete', 'workload-ready', 'follow-up-sent'], [], at(1));
  run({ ...waiting, trigger: { kind: 'scan' } }, at(60 * 24 * 7));
  // The dashboard and the job summary, with every kind of row.
  const report: ScanReport = {
    rows: [
      { number: 3, url: 'https://x/3', customer: 'A <b>', region: 'EMEA', step: 'discussion', daysInStep: 20, stalled: true },
      { number: 4, url: 'https://x/4', customer: 'B', region: 'APJ', step: 'offboarding', daysInStep: 2, stalled: false },
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
    const expected = [...Object.values(MESSAGE_FILES), ...PARTIAL_FILES].sort();
    for (const locale of LOCALES) expect(readdirSync(join(BUILT_IN_TEMPLATES, locale)).sort()).toEqual(expected);
  });

  describe.each(LOCALES)('%s', (locale) => {
    const seen = renderedMessages(locale);

    it('renders every message through the decision core', () => {
      const emails = ['email-account-team', 'email-customer-follow-up', 'email-transfer-request'];
      expect([...seen.keys(), ...emails].sort()).toEqual([...MESSAGE_NAMES].sort());
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
      expect(preparation).toMatch(/```text\n[^`]+\n```/);
      expect(preparation).toContain('mailto:ana%40contoso.com');
    });
  });
});
