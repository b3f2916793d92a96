// The issue form (examples/ISSUE_TEMPLATE/engagement.yml) as GitHub fills it in: every field read
// from the form itself, answered, and each answer found under its own front-matter key.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtInCatalog } from '../src/files/playbook-catalog.js';
import { parseEngagement } from '../src/process/frontmatter.js';
import { frontMatterFromForm } from '../src/process/intake.js';
import { FM, commentsOf, labelled, observation, settle, testConfig } from './support/model.js';

interface FormField {
  type: string;
  id?: string;
  attributes: { label?: string; options?: string[] };
}

const FORM = parse(readFileSync(new URL('../examples/ISSUE_TEMPLATE/engagement.yml', import.meta.url), 'utf8')) as { body: FormField[] };
const FIELDS = FORM.body.filter((f) => f.type !== 'markdown');

/** A realistic answer to each field, as typed (or picked) on the form, and what the front-matter must hold. */
const ANSWERS: Record<string, { answer: string; expected: unknown }> = {
  customer: { answer: 'Northwind Traders', expected: 'Northwind Traders' },
  tenant: { answer: 'northwind.onmicrosoft.com', expected: 'northwind.onmicrosoft.com' },
  region: { answer: 'APJ', expected: 'APJ' },
  fm: { answer: FM, expected: FM },
  fm_name: { answer: 'Alice Martins', expected: 'Alice Martins' },
  customer_contacts: {
    answer: 'Nadia Chen <nadia.chen@northwind.com>\nops@northwind.com',
    expected: [{ name: 'Nadia Chen', email: 'nadia.chen@northwind.com' }, 'ops@northwind.com'],
  },
  account_team: { answer: 'Bo Li <bo.li@contoso.com>\nana@contoso.com', expected: [{ name: 'Bo Li', email: 'bo.li@contoso.com' }, 'ana@contoso.com'] },
  services: { answer: 'Exchange Online\nSharePoint Online', expected: ['Exchange Online', 'SharePoint Online'] },
  completed_activities: { answer: '- Mailbox migration\n- Teams enablement', expected: ['Mailbox migration', 'Teams enablement'] },
  playbook: { answer: 'migration', expected: 'migration' },
  locale: { answer: 'pt-BR', expected: 'pt-BR' },
};

/** The body GitHub writes for a submitted issue form: `### Label`, a blank line, the answer, a blank line. */
function formBody(answers: Record<string, string>): string {
  return FIELDS.map((f) => `### ${f.attributes.label}\n\n${answers[f.id as string] ?? '_No response_'}`).join('\n\n');
}

function frontMatterOf(body: string): Record<string, unknown> {
  const yaml = /^---\n([\s\S]*?)\n---\n/.exec(body)?.[1];
  if (yaml === undefined) throw new Error('no front-matter');
  return parse(yaml) as Record<string, unknown>;
}

describe('the issue form', () => {
  it('has an answer here for every field, and each field id is the front-matter key it fills', () => {
    expect(FIELDS.map((f) => f.id).sort()).toEqual(Object.keys(ANSWERS).sort());
    for (const f of FIELDS.filter((f) => f.type === 'dropdown')) expect(f.attributes.options, f.id).toContain(ANSWERS[f.id as string]?.answer);
  });

  it('every answer lands in its own key: "Customer contacts" is not taken for "Customer"', () => {
    const answers = Object.fromEntries(Object.entries(ANSWERS).map(([id, a]) => [id, a.answer]));
    const body = frontMatterFromForm(formBody(answers));
    if (body === null) throw new Error('not read as a form');
    const fm = frontMatterOf(body);
    for (const [id, { expected }] of Object.entries(ANSWERS)) expect(fm[id], id).toEqual(expected);
    expect(Object.keys(fm)).toEqual(['customer', 'tenant', 'region', 'fm', 'fm_name', 'account_team', 'customer_contacts', 'services', 'completed_activities', 'locale', 'playbook']);
    // The answers stay below the front-matter, untouched.
    expect(body.endsWith(formBody(answers))).toBe(true);
    const parsed = parseEngagement(body, builtInCatalog());
    expect(parsed.ok && parsed.fields.customerContacts).toEqual([
      { name: 'Nadia Chen', email: 'nadia.chen@northwind.com' },
      { name: null, email: 'ops@northwind.com' },
    ]);
  });

  it('the optional fields left unanswered add nothing a reader must fix', () => {
    const required = Object.fromEntries(['customer', 'tenant', 'region', 'fm'].map((id) => [id, ANSWERS[id]?.answer as string]));
    const body = frontMatterFromForm(formBody(required));
    if (body === null) throw new Error('not read as a form');
    const fm = frontMatterOf(body);
    expect(fm).toMatchObject({ customer: 'Northwind Traders', tenant: 'northwind.onmicrosoft.com', region: 'APJ', fm: FM, account_team: [], customer_contacts: [] });
    for (const key of ['fm_name', 'locale', 'playbook']) expect(fm, key).not.toHaveProperty(key);
    expect(parseEngagement(body, builtInCatalog()).ok).toBe(true);
  });

  it('an engagement opened with the form addresses the customer follow-up e-mail to the customer contacts', () => {
    const answers = Object.fromEntries(Object.entries(ANSWERS).map(([id, a]) => [id, a.answer]));
    const config = testConfig();
    let o = settle(observation({ body: formBody(answers) }), '2026-11-25T10:00:00Z', config).after;
    for (const [i, label] of ['migration-complete', 'account-team-notified', 'workload-ready'].entries()) {
      const settled = settle({ ...o, issue: { ...o.issue, labels: [...o.issue.labels, label] }, trigger: labelled('labeled', label) }, `2026-11-25T1${i + 1}:00:00Z`, config);
      o = settled.after;
      const followUp = commentsOf(settled.effects, 'step-follow-up')[0]?.body;
      if (label === 'workload-ready') {
        // In the language picked on the form.
        expect(followUp).toContain('**Para**\n```text\nnadia.chen@northwind.com; ops@northwind.com\n```');
        expect(followUp).toContain('](<mailto:nadia.chen%40northwind.com,ops%40northwind.com?');
      }
    }
  });
});
