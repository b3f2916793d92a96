// `templates-path`: built-in templates replaced by file name, and every mistake in an override
// refused at start with a message that lists what is valid.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkOverrides } from '../src/modes/template-check.js';
import { TemplateError, loadMessages } from '../src/files/templates.js';
import { ATU_FIELDS, body, commentsOf, observation, settle, testConfig, decideRendered } from './support/model.js';

function overrides(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'templates-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function check(dir: string): () => void {
  const config = testConfig({ 'templates-path': dir });
  return () => checkOverrides(config, loadMessages({ overrideDir: dir }));
}

describe('template overrides', () => {
  it('replace a built-in template by file name, per locale or for every locale', () => {
    const dir = overrides({
      'en/welcome.md.hbs': 'Hello {{fmMention}}, tracking {{customer}} in {{region}}.',
      'step-preparation.md.hbs': 'Prep for {{customer}}: {{> email-draft accountTeamEmail}}',
    });
    expect(check(dir)).not.toThrow();
    const config = testConfig({ 'templates-path': dir });
    const messages = loadMessages({ overrideDir: dir });
    const opened = decideRendered(observation({ body: body(ATU_FIELDS) }), { config, messages, now: new Date('2026-11-25T10:00:00Z') });
    expect(commentsOf(opened.effects, 'welcome')[0]?.body).toMatch(/^Hello @fm-alice, tracking Contoso Ltd in EMEA\./);
    // en/welcome.md.hbs is English only: pt-BR keeps its own; step-preparation.md.hbs is for every locale.
    const now = new Date('2026-11-25T10:00:00Z');
    const pt = decideRendered(observation({ body: body({ ...ATU_FIELDS, locale: 'pt-BR' }) }), { config, messages, now });
    expect(commentsOf(pt.effects, 'welcome')[0]?.body).toMatch(/^### Conclusão do envolvimento: Contoso Ltd/);
    const prep = decideRendered(observation({ body: body({ ...ATU_FIELDS, locale: 'pt-BR' }), labels: ['engagement', 'migration-complete'] }), { config, messages, now });
    expect(commentsOf(prep.effects, 'step-preparation')[0]?.body).toMatch(/^Prep for Contoso Ltd: \*\*Para\*\*/);
  });

  it('accept the override shown in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /```hbs\n\{\{!-- \.github\/engagement-templates\/(.+?) --\}\}\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const dir = overrides({ [block?.[1] as string]: block?.[2] as string });
    expect(check(dir)).not.toThrow();
  });

  it('refuse a file that is not a template of the action, listing the valid names', () => {
    expect(check(overrides({ 'en/welcom.md.hbs': 'x' }))).toThrow(/en\/welcom\.md\.hbs is not a template of this action\. Template files: welcome\.md\.hbs, step-preparation\.md\.hbs/);
  });

  it('refuse a template that does not compile, naming it', () => {
    const dir = overrides({ 'en/welcome.md.hbs': 'Hello {{#if customer}}unclosed' });
    expect(() => loadMessages({ overrideDir: dir })).toThrow(TemplateError);
    expect(() => loadMessages({ overrideDir: dir })).toThrow(/template en\/welcome\.md\.hbs does not compile/);
  });

  it('refuse a template that uses a value its message does not have, listing the values', () => {
    expect(check(overrides({ 'en/step-discussion.md.hbs': 'Agenda for {{customerName}}' }))).toThrow(
      /en\/step-discussion\.md\.hbs \(or a partial it uses\) uses "customerName", which this message does not have\. Values it can use: .*\bcompletedActivities\b.*\bcustomer\b/,
    );
  });
});

describe('e-mail drafts', () => {
  it('offer a mailto link only while it stays under 1,900 characters; otherwise say to copy the draft', () => {
    const short = settle(observation({ body: body(ATU_FIELDS), labels: ['engagement', 'migration-complete'] }), '2026-11-25T10:00:00Z');
    expect(commentsOf(short.effects, 'step-preparation')[0]?.body).toContain('](<mailto:');
    const many = `[${Array.from({ length: 60 }, (_, i) => `Activity number ${i} with a long description`).join(', ')}]`;
    const long = settle(
      observation({ body: body({ ...ATU_FIELDS, account_team: '[]', completed_activities: many }), labels: ['engagement', 'migration-complete', 'workload-ready'] }),
      '2026-11-25T10:00:00Z',
    );
    const followUp = commentsOf(long.effects, 'step-follow-up')[0]?.body ?? '';
    expect(followUp).not.toContain('mailto:');
    expect(followUp).toContain('too long for a mail link: copy the recipients, the subject and the body above');
  });
});
