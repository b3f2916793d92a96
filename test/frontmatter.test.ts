// Tests of the front-matter module: reading and validating an engagement issue body, and rewriting
// the bot-owned keys while keeping the FM's part (keys, order, comments, everything after the
// closing fence) byte for byte.
import { builtInCatalog } from '../src/files/playbook-catalog.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FM_KEYS, type BotState, type EngagementFields, type HistoryEntry, type Locale, type Transfer } from '../src/process/engagement.js';
import {
  BOT_BLOCK_COMMENT,
  BOT_BLOCK_COMMENTS,
  BOT_NOTES,
  asWritten,
  botKeysOf,
  MAX_BODY_LENGTH,
  parseEngagement,
  renderBody,
  renderBodyWithinLimit,
  renderBotBlock,
  type ParsedEngagement,
  type Problem,
} from '../src/process/frontmatter.js';
import type { Region } from '../src/process/region.js';
import { MIGRATION, STEPS } from './support/playbooks.js';

type Step = string;
const BOT_KEYS = botKeysOf(MIGRATION);

// ---------------------------------------------------------------------------------------------
// Helpers

function parsedOk(body: string): ParsedEngagement {
  const result = parseEngagement(body, builtInCatalog());
  if (!result.ok) throw new Error(`expected the body to parse, got ${JSON.stringify(result.problems)}`);
  return result;
}

function problemsOf(body: string): Problem[] {
  const result = parseEngagement(body, builtInCatalog());
  if (result.ok) throw new Error('expected the body to be refused');
  return result.problems;
}

/** A body whose front-matter is `lines`; the opening `---` is line 1, so lines[i] is line i + 2. */
function fmBody(...lines: string[]): string {
  return ['---', ...lines, '---', '', 'Free Markdown.', ''].join('\n');
}

const VALID = ['customer: Contoso', 'tenant: contoso.onmicrosoft.com', 'region: EMEA', 'fm: octocat'];

/** VALID with the line for `key` replaced (or removed when `line` is null). */
function withLine(key: string, line: string | null): string[] {
  const out = VALID.filter((l) => !l.startsWith(`${key}:`));
  const index = VALID.findIndex((l) => l.startsWith(`${key}:`));
  if (line !== null) out.splice(index === -1 ? out.length : index, 0, line);
  return out;
}

/** The top-level keys of a body's front-matter, in order (plain keys at column 0 only). */
function topLevelKeys(body: string): string[] {
  const yaml = body.slice(body.indexOf('\n') + 1, body.search(/\n---\r?\n/) + 1);
  return [...yaml.matchAll(/^([A-Za-z_][A-Za-z0-9_]*):/gm)].map((m) => m[1] ?? '');
}

const T0 = '2026-11-25T10:00:00Z';

const STATE: BotState = {
  step: 'follow-up',
  step_since: '2026-12-02T15:30:00Z',
  recorded: { workload_ready: false },
  tasks: { task_4060: 'pending' },
  next_action_date: '2027-01-04',
  transfer: {
    queue: 'FTCQ Inactive – EMEA',
    request: '#12',
    requested_at: '2026-12-03T09:00:00Z',
    confirmed_by: null,
    confirmed_at: null,
  },
  stalled_since: null,
  history: [
    { at: T0, by: 'octocat', from: null, to: 'awaiting-migration', via: 'opened' },
    { at: '2026-11-28T08:00:00Z', by: 'octocat', from: 'awaiting-migration', to: 'discussion', via: 'label migration-complete' },
    { at: '2026-12-02T15:30:00Z', by: 'octocat', from: 'discussion', to: 'follow-up', via: 'label workload-not-ready' },
  ],
  completed_at: null,
};

const STATE_COMPLETED: BotState = {
  ...STATE,
  step: 'completed',
  step_since: '2027-01-10T12:00:00Z',
  tasks: { task_4060: 'done' },
  transfer: { ...(STATE.transfer as Transfer), confirmed_by: 'alice', confirmed_at: '2026-12-05T10:00:00Z' },
  history: [...STATE.history, { at: '2027-01-10T12:00:00Z', by: 'octocat', from: 'offboarding', to: 'completed', via: 'label task-4060-done' }],
  completed_at: '2027-01-10T12:00:00Z',
};

/** Checks that a rewrite kept the FM's part byte for byte and wrote exactly `state`. */
function expectRewriteKeepsFm(before: ParsedEngagement, state: BotState): { body: string; after: ParsedEngagement } {
  const body = renderBody(before.source, state);
  const after = parsedOk(body);
  expect(after.fields).toEqual(before.fields);
  expect(after.bot).toEqual(state);
  expect(after.botProblems).toEqual([]);
  expect(after.unknownKeys).toEqual(before.unknownKeys);
  expect(after.source.opening).toBe(before.source.opening);
  expect(after.source.fmYaml).toBe(before.source.fmYaml);
  expect(after.source.closingAndRest).toBe(before.source.closingAndRest);
  expect(after.source.eol).toBe(before.source.eol);
  // The FM's YAML, untouched, then a blank line and the bot's keys from \`step\` on, ending with the
  // history's list (or a blank line), then the rest, untouched; no comment line of the bot's
  // (Markdown would make it a heading).
  const indent = before.source.indent ?? '';
  const eol = before.source.eol;
  const fm = before.source.opening + before.source.fmYaml;
  expect(body.startsWith(`${fm}${eol}${indent}step: ${state.step} ${BOT_NOTES.en}${eol}`)).toBe(true);
  expect(body.endsWith(before.source.closingAndRest)).toBe(true);
  const lastLine = body.slice(0, body.length - before.source.closingAndRest.length).split(eol).at(-2) ?? '';
  if (state.history.length > 0 && indent.length < 2) expect(lastLine.startsWith(`${indent}  - `)).toBe(true);
  else expect(lastLine).toBe('');
  for (const line of Object.values(BOT_BLOCK_COMMENTS)) expect(body.slice(fm.length)).not.toContain(line);
  // Fixpoint: writing the same state again changes nothing.
  expect(renderBody(after.source, state)).toBe(body);
  return { body, after };
}

// ---------------------------------------------------------------------------------------------
// A realistic body

const REALISTIC_FM = `# Engagement front-matter: filled in by the FM when the engagement is opened.
customer: "Contoso Ltd." # legal name, as in FTOP
tenant: contoso.onmicrosoft.com
region: Américas   # accented spelling is fine
fm: '@octocat'
services: [Exchange Online, SharePoint Online, "Teams: chat & meetings"]  # flow list
account_team:
  # the ATU, with names where we have them
  - name: Ann Smith
    email: ann.smith@contoso.com
  - {name: "Bob O'Neil", email: bob@contoso.com}
  - carol@contoso.com
completed_activities:
  - Mailbox migration (1,200 users)
  - OneDrive sync   # trailing comment in a list

locale: pt-br
# closing remark of the FM
`;

const REALISTIC_REST = `---

## Notes from the kick-off

The customer asked for a *second* review.

---

\`\`\`yaml
---
step: completed
history: []
---
\`\`\`

<!-- internal: do not remove -->
| a | b |
|---|---|
| 1 | 2 |

...
trailing text without a final newline`;

const REALISTIC = `---\n${REALISTIC_FM}${REALISTIC_REST}`;

const REALISTIC_FIELDS: EngagementFields = {
  customer: 'Contoso Ltd.',
  tenant: 'contoso.onmicrosoft.com',
  region: 'Americas',
  fm: 'octocat',
  accountTeam: [
    { name: 'Ann Smith', email: 'ann.smith@contoso.com' },
    { name: "Bob O'Neil", email: 'bob@contoso.com' },
    { name: null, email: 'carol@contoso.com' },
  ],
  services: ['Exchange Online', 'SharePoint Online', 'Teams: chat & meetings'],
  completedActivities: ['Mailbox migration (1,200 users)', 'OneDrive sync'],
  locale: 'pt-BR',
  playbook: null,
  fmName: null,
  customerContacts: [],
};

describe('round trips', () => {
  it('reads a realistic body', () => {
    const parsed = parsedOk(REALISTIC);
    expect(parsed.fields).toEqual(REALISTIC_FIELDS);
    expect(parsed.bot).toBeNull();
    expect(parsed.botProblems).toEqual([]);
    expect(parsed.unknownKeys).toEqual([]);
    expect(parsed.source).toEqual({ opening: '---\n', fmYaml: REALISTIC_FM, closingAndRest: REALISTIC_REST, eol: '\n', indent: '' });
  });

  it('writes the bot state and keeps the FM part byte for byte', () => {
    const before = parsedOk(REALISTIC);
    const { body, after } = expectRewriteKeepsFm(before, STATE);
    expect(after.fields).toEqual(REALISTIC_FIELDS);
    expect(body.startsWith(`---\n${REALISTIC_FM}\nstep: follow-up ${BOT_NOTES.en}\n`)).toBe(true);
    expect(body.endsWith(`(label workload-not-ready)\n${REALISTIC_REST}`)).toBe(true);
    // The bot keys come after the FM's, in their fixed order.
    expect(topLevelKeys(body)).toEqual([
      'customer', 'tenant', 'region', 'fm', 'services', 'account_team', 'completed_activities', 'locale',
      'step', 'step_since', 'workload_ready', 'task_4060', 'next_action_date', 'transfer', 'history',
    ]);
    // The history last, one move a line.
    expect(body).toContain(
      [
        'history:',
        `  - ${T0} octocat: awaiting-migration (opened)`,
        '  - 2026-11-28T08:00:00Z octocat: awaiting-migration → discussion (label migration-complete)',
        '  - 2026-12-02T15:30:00Z octocat: discussion → follow-up (label workload-not-ready)',
        '---',
      ].join('\n'),
    );
  });

  it('replaces an earlier bot state instead of adding a second one', () => {
    const first = renderBody(parsedOk(REALISTIC).source, STATE);
    const { body } = expectRewriteKeepsFm(parsedOk(first), STATE_COMPLETED);
    expect(body.split(BOT_NOTES.en)).toHaveLength(2);
    expect(topLevelKeys(body).filter((k) => k === 'step')).toHaveLength(1);
    expect(parsedOk(body).bot).toEqual(STATE_COMPLETED);
    // ... and going back to the first state gives the first body again.
    expect(renderBody(parsedOk(body).source, STATE)).toBe(first);
  });

  it('keeps the FM keys in order and moves bot keys found among them to the end', () => {
    const body = fmBody(
      '# FM: customer first',
      'customer: Contoso',
      'step: discussion',
      'step_since: 2026-11-28T08:00:00Z',
      'history:',
      '  - {at: 2026-11-25T10:00:00Z, by: octocat, from: null, to: awaiting-migration, via: opened}',
      '  - at: 2026-11-28T08:00:00Z',
      '    by: octocat',
      '    from: awaiting-migration',
      '    to: discussion',
      '    via: label migration-complete',
      '# FM: then the tenant',
      'tenant: contoso.onmicrosoft.com',
      'task_4060: pending # the bot will rewrite this',
      'region: EMEA',
      'workload_ready:',
      '# FM: the manager',
      'fm: octocat',
      'services: [Teams]',
    );
    const before = parsedOk(body);
    expect(before.bot && asWritten(before.bot)).toEqual({
      step: 'discussion',
      step_since: '2026-11-28T08:00:00Z',
      workload_ready: null,
      task_4060: 'pending',
      next_action_date: null,
      transfer: null,
      stalled_since: null,
      history: [
        { at: T0, by: 'octocat', from: null, to: 'awaiting-migration', via: 'opened' },
        { at: '2026-11-28T08:00:00Z', by: 'octocat', from: 'awaiting-migration', to: 'discussion', via: 'label migration-complete' },
      ],
      completed_at: null,
    });
    // The FM part is the body with exactly the bot-owned pairs cut out; every FM comment stays.
    expect(before.source.fmYaml).toBe(
      [
        '# FM: customer first',
        'customer: Contoso',
        '# FM: then the tenant',
        'tenant: contoso.onmicrosoft.com',
        'region: EMEA',
        '# FM: the manager',
        'fm: octocat',
        'services: [Teams]',
        '',
      ].join('\n'),
    );
    const { body: out } = expectRewriteKeepsFm(before, STATE);
    expect(topLevelKeys(out)).toEqual([
      'customer', 'tenant', 'region', 'fm', 'services',
      'step', 'step_since', 'workload_ready', 'task_4060', 'next_action_date', 'transfer', 'history',
    ]);
    expect(out.endsWith('---\n\nFree Markdown.\n')).toBe(true);
  });

  it('keeps FM comments that follow an empty or block-valued bot key', () => {
    // A null value or a block list can carry the following comment lines in its YAML node range.
    const body = fmBody(
      ...VALID,
      'completed_at:',
      '# FM comment after an empty bot key',
      'services: [a]',
      'history:',
      '  - {at: 2026-11-25T10:00:00Z, by: octocat, from: null, to: awaiting-migration, via: opened}',
      '  # indented note',
      '# FM comment after a bot list',
      'locale: en',
    );
    const before = parsedOk(body);
    expect(before.source.fmYaml).toContain('# FM comment after an empty bot key\nservices: [a]\n');
    expect(before.source.fmYaml).toContain('# FM comment after a bot list\nlocale: en\n');
    expect(before.source.fmYaml).not.toContain('completed_at');
    expect(before.source.fmYaml).not.toContain('history');
    expectRewriteKeepsFm(before, STATE);
  });

  it('rewrites a front-matter whose keys are all indented (the bot block gets the same indentation)', () => {
    const body = ['---', '  customer: Contoso', '  # comment', '  tenant: t', '  region: EMEA', '  fm: octocat', '---', 'rest'].join('\n');
    const before = parsedOk(body);
    const { body: out } = expectRewriteKeepsFm(before, STATE);
    expect(out).toContain(`\n  fm: octocat\n\n  step: follow-up ${BOT_NOTES.en}\n  step_since: 2026-12-02T15:30:00Z\n`);
    // The history's list is too far in for Markdown to read it as one: a blank line before the fence.
    expect(out).toContain(`\n  history:\n    - ${T0} octocat: awaiting-migration (opened)\n`);
    expect(out).toContain('\n\n---\nrest');
    expect(parsedOk(out).source.fmYaml).toBe(before.source.fmYaml);
  });

  it('accepts `...` as the closing fence and an empty rest', () => {
    const before = parsedOk(['---', ...VALID, '...'].join('\n'));
    expect(before.source.closingAndRest).toBe('...');
    const { body } = expectRewriteKeepsFm(before, STATE);
    expect(body.endsWith('\n...')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('CRLF bodies', () => {
  const crlf = REALISTIC.replace(/\n/g, '\r\n');

  it('parses a CRLF body like its LF twin', () => {
    const parsed = parsedOk(crlf);
    expect(parsed.fields).toEqual(REALISTIC_FIELDS);
    expect(parsed.source.eol).toBe('\r\n');
    expect(parsed.source.opening).toBe('---\r\n');
    expect(parsed.source.fmYaml).toBe(REALISTIC_FM.replace(/\n/g, '\r\n'));
    expect(parsed.source.closingAndRest).toBe(REALISTIC_REST.replace(/\n/g, '\r\n'));
  });

  it('writes CRLF line endings throughout the front-matter and keeps the rest', () => {
    const before = parsedOk(crlf);
    const { body } = expectRewriteKeepsFm(before, STATE_COMPLETED);
    expect(body).not.toMatch(/(?<!\r)\n/);
    expect(body.endsWith(REALISTIC_REST.replace(/\n/g, '\r\n'))).toBe(true);
    // A second rewrite with bot keys already present also keeps CRLF.
    const again = renderBody(parsedOk(body).source, STATE);
    expect(again).not.toMatch(/(?<!\r)\n/);
    expect(parsedOk(again).bot).toEqual(STATE);
  });

  it('counts lines and columns of YAML errors the same way in a CRLF body', () => {
    const body = fmBody('customer: Contoso', 'tenant: t', 'region: EMEA: x', 'fm: octocat').replace(/\n/g, '\r\n');
    expect(problemsOf(body)).toEqual([expect.objectContaining({ code: 'yaml-syntax', line: 4, column: 9 })]);
  });
});

describe('byte-order mark', () => {
  it('accepts a leading BOM and keeps it on rewrite', () => {
    const body = `\uFEFF${REALISTIC}`;
    const before = parsedOk(body);
    expect(before.fields).toEqual(REALISTIC_FIELDS);
    expect(before.source.opening).toBe('\uFEFF---\n');
    const { body: out } = expectRewriteKeepsFm(before, STATE);
    expect(out.startsWith('\uFEFF---\n')).toBe(true);
  });

  it('accepts a BOM with CRLF, and YAML error positions ignore the BOM', () => {
    expect(parsedOk(`\uFEFF${fmBody(...VALID).replace(/\n/g, '\r\n')}`).fields.customer).toBe('Contoso');
    const bad = `\uFEFF${fmBody('customer: Contoso', 'tenant: t', 'region: EMEA: x', 'fm: octocat')}`;
    expect(problemsOf(bad)).toEqual([expect.objectContaining({ code: 'yaml-syntax', line: 4, column: 9 })]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('validation', () => {
  it('needs a front-matter at the very top', () => {
    for (const body of ['', 'Hello', '# Title\n---\ncustomer: x\n---\n', '\n---\ncustomer: x\n---\n', ' ---\n---\n', '--- x\n---\n', '----\n---\n']) {
      expect(problemsOf(body), JSON.stringify(body)).toEqual([{ code: 'no-front-matter' }]);
    }
  });

  it('needs a closing fence', () => {
    for (const body of ['---', '---\n', '---\r\n', `---\n${VALID.join('\n')}\n`, '---\ncustomer: x\n  ---\n', '---\ncustomer: x\n--- x\n']) {
      expect(problemsOf(body), JSON.stringify(body)).toEqual([{ code: 'unclosed-front-matter' }]);
    }
  });

  it('reports YAML syntax errors with line and column in the issue body', () => {
    expect(problemsOf(fmBody('customer: Contoso', 'tenant: t', 'region: EMEA: x', 'fm: octocat'))).toEqual([
      { code: 'yaml-syntax', line: 4, column: 9, detail: expect.any(String) },
    ]);
    // A repeated key is an error at the repetition.
    expect(problemsOf(fmBody(...VALID, 'customer: again'))).toEqual([
      { code: 'yaml-syntax', line: 6, column: 1, detail: expect.stringMatching(/unique/i) },
    ]);
    // Lines are counted after a comment block too.
    expect(problemsOf(fmBody('# one', '# two', '', ...VALID, 'services: [a, b', 'locale: en'))).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'yaml-syntax', line: 10 })]),
    );
  });

  it('refuses a YAML alias bomb quickly', () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
    const started = Date.now();
    expect(problemsOf(fmBody(...lines, ...VALID))).toEqual([{ code: 'alias-limit' }]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('accepts an honest alias', () => {
    const parsed = parsedOk(fmBody('customer: &c Contoso', 'tenant: *c', 'region: EMEA', 'fm: octocat'));
    expect(parsed.fields.tenant).toBe('Contoso');
  });

  it('needs a mapping, in block style', () => {
    expect(problemsOf(fmBody('- a', '- b'))).toEqual([{ code: 'not-a-mapping' }]);
    expect(problemsOf(fmBody('just some text'))).toEqual([{ code: 'not-a-mapping' }]);
    expect(problemsOf(fmBody('42'))).toEqual([{ code: 'not-a-mapping' }]);
    expect(problemsOf(fmBody('{customer: Contoso, tenant: t, region: EMEA, fm: octocat}'))).toEqual([{ code: 'flow-mapping' }]);
  });

  it('refuses keys that are not plain text', () => {
    expect(problemsOf(fmBody(...VALID, '? [a, b]', ': c'))).toEqual([{ code: 'complex-key', line: 6, column: 3 }]);
    expect(problemsOf(fmBody(...VALID, '1: x'))).toEqual([{ code: 'complex-key', line: 6, column: 1 }]);
    expect(problemsOf(fmBody('customer: Contoso', '? {a: 1}', ': c', 'tenant: t', 'region: EMEA', 'fm: octocat'))).toEqual([
      { code: 'complex-key', line: 3, column: 3 },
    ]);
  });

  it('names each missing required key', () => {
    for (const key of ['customer', 'tenant', 'region', 'fm']) {
      expect(problemsOf(fmBody(...withLine(key, null))), key).toEqual([{ code: 'missing-key', key }]);
    }
    const all = ['customer', 'tenant', 'region', 'fm'].map((key) => ({ code: 'missing-key', key }));
    expect(problemsOf('---\n---\n')).toEqual(all);
    expect(problemsOf(fmBody('# only a comment'))).toEqual(all);
    expect(problemsOf(fmBody('services: [a]'))).toEqual(all);
  });

  it('reports empty required values with their position', () => {
    expect(problemsOf(fmBody(...withLine('customer', 'customer: ""')))).toEqual([{ code: 'empty-value', key: 'customer', line: 2, column: 11 }]);
    expect(problemsOf(fmBody(...withLine('tenant', "tenant: '   '")))).toEqual([{ code: 'empty-value', key: 'tenant', line: 3, column: 9 }]);
    // A key written with nothing after it is there but empty (an issue template's blank line).
    expect(problemsOf(fmBody(...withLine('fm', 'fm:')))).toEqual([{ code: 'empty-value', key: 'fm', line: 5, column: expect.any(Number) }]);
    expect(problemsOf(fmBody('customer:', 'tenant:', 'region:', 'fm:'))).toEqual(
      ['customer', 'tenant', 'region', 'fm'].map((key, i) => ({ code: 'empty-value', key, line: i + 2, column: expect.any(Number) })),
    );
  });

  it('reports values of the wrong type with the key and position', () => {
    const cases: Array<[string, string, Problem]> = [
      ['customer', 'customer: 123', { code: 'wrong-type', key: 'customer', expected: 'text', got: 'number', line: 2, column: 11 }],
      ['customer', 'customer: true', { code: 'wrong-type', key: 'customer', expected: 'text', got: 'boolean', line: 2, column: 11 }],
      ['customer', 'customer: [a]', { code: 'wrong-type', key: 'customer', expected: 'text', got: 'list', line: 2, column: 11 }],
      ['tenant', 'tenant: {a: 1}', { code: 'wrong-type', key: 'tenant', expected: 'text', got: 'mapping', line: 3, column: 9 }],
      ['services', 'services: {a: 1}', { code: 'wrong-type', key: 'services', expected: 'list', got: 'mapping', line: 6, column: 11 }],
      ['services', 'services: [1, 2]', { code: 'wrong-type', key: 'services', expected: 'text-list', got: 'number', line: 6, column: 11 }],
      ['completed_activities', 'completed_activities: [a, [b]]', { code: 'wrong-type', key: 'completed_activities', expected: 'text-list', got: 'list', line: 6, column: 23 }],
      ['account_team', 'account_team: 42', { code: 'wrong-type', key: 'account_team', expected: 'list', got: 'number', line: 6, column: 15 }],
      ['account_team', 'account_team: [{name: Ann}]', { code: 'wrong-type', key: 'account_team', expected: 'contact', got: 'nothing', line: 6, column: 15 }],
      ['locale', 'locale: 1', { code: 'wrong-type', key: 'locale', expected: 'text', got: 'number', line: 6, column: 9 }],
    ];
    for (const [key, line, problem] of cases) {
      expect(problemsOf(fmBody(...withLine(key, line))), line).toEqual([problem]);
    }
  });

  it('reports an unknown region, an invalid login, e-mail or locale with the value', () => {
    expect(problemsOf(fmBody(...withLine('region', 'region: Atlantis')))).toEqual([
      { code: 'unknown-region', key: 'region', value: 'Atlantis', line: 4, column: 9 },
    ]);
    for (const login of ['not a login', 'bad_login', '-octocat', 'octocat-', 'octo--cat', 'a'.repeat(40), '@']) {
      expect(problemsOf(fmBody(...withLine('fm', `fm: ${JSON.stringify(login)}`))), login).toEqual([
        { code: 'invalid-login', key: 'fm', value: login, line: 5, column: 5 },
      ]);
    }
    for (const email of ['not-an-email', 'ann@contoso', 'Ann <ann@contoso.com>', 'a b@c.de']) {
      expect(problemsOf(fmBody(...VALID, `account_team: [${JSON.stringify(email)}]`)), email).toEqual([
        { code: 'invalid-email', key: 'account_team', value: email, line: 6, column: 15 },
      ]);
    }
    expect(problemsOf(fmBody(...VALID, 'locale: fr'))).toEqual([{ code: 'unknown-locale', key: 'locale', value: 'fr', line: 6, column: 9 }]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(fmBody('customer: 123', 'region: Atlantis', 'fm: octocat', 'locale: de'));
    expect(problems.map((p) => p.code).sort()).toEqual(['missing-key', 'unknown-locale', 'unknown-region', 'wrong-type']);
  });

  it('accepts regions case-insensitively and with accents', () => {
    const cases: Array<[string, Region]> = [
      ['EMEA', 'EMEA'], ['emea', 'EMEA'], ['Emea', 'EMEA'], ['APJ', 'APJ'], ['apj', 'APJ'], ['APAC', 'APJ'],
      ['Americas', 'Americas'], ['AMERICAS', 'Americas'], ['americas', 'Americas'], ['Américas', 'Americas'],
      ['AMÉRICAS', 'Americas'], ['"  emea  "', 'EMEA'],
    ];
    for (const [text, region] of cases) expect(parsedOk(fmBody(...withLine('region', `region: ${text}`))).fields.region, text).toBe(region);
  });

  it('reads the FM login with or without @', () => {
    expect(parsedOk(fmBody(...withLine('fm', 'fm: "@octocat"'))).fields.fm).toBe('octocat');
    expect(parsedOk(fmBody(...withLine('fm', "fm: '@Octo-Cat-42'"))).fields.fm).toBe('Octo-Cat-42');
    expect(parsedOk(fmBody(...withLine('fm', 'fm: octocat'))).fields.fm).toBe('octocat');
  });

  it('reads the account team as a list, a comma-separated string, or nothing', () => {
    for (const line of [null, 'account_team:', 'account_team: ""', 'account_team: []', 'account_team: [" "]']) {
      expect(parsedOk(fmBody(...VALID, ...(line === null ? [] : [line]))).fields.accountTeam, String(line)).toEqual([]);
    }
    expect(parsedOk(fmBody(...VALID, 'account_team: ann@contoso.com, bob@contoso.com; carol@contoso.com')).fields.accountTeam).toEqual([
      { name: null, email: 'ann@contoso.com' },
      { name: null, email: 'bob@contoso.com' },
      { name: null, email: 'carol@contoso.com' },
    ]);
    expect(parsedOk(fmBody(...VALID, 'account_team:', '  - {name: "  ", email: " ann@contoso.com "}')).fields.accountTeam).toEqual([
      { name: null, email: 'ann@contoso.com' },
    ]);
  });

  it('reads lists: trims items, skips blank ones, takes a single text as a one-item list', () => {
    const parsed = parsedOk(fmBody(...VALID, 'services: ["  Exchange  ", "", Teams]', 'completed_activities: Kick-off'));
    expect(parsed.fields.services).toEqual(['Exchange', 'Teams']);
    expect(parsed.fields.completedActivities).toEqual(['Kick-off']);
    expect(parsedOk(fmBody(...VALID, 'services:')).fields.services).toEqual([]);
  });

  it('reads the locale', () => {
    const cases: Array<[string, Locale]> = [['pt-br', 'pt-BR'], ['pt-BR', 'pt-BR'], ['pt_BR', 'pt-BR'], ['PT', 'pt-BR'], ['en', 'en'], ['EN-us', 'en'], ['en_GB', 'en']];
    for (const [text, locale] of cases) expect(parsedOk(fmBody(...VALID, `locale: ${text}`)).fields.locale, text).toBe(locale);
    expect(parsedOk(fmBody(...VALID)).fields.locale).toBeNull();
    expect(parsedOk(fmBody(...VALID, 'locale:')).fields.locale).toBeNull();
  });

  it('trims text values', () => {
    const parsed = parsedOk(fmBody('customer: "  Contoso  "', 'tenant: " t "', 'region: EMEA', 'fm: " octocat "'));
    expect([parsed.fields.customer, parsed.fields.tenant, parsed.fields.fm]).toEqual(['Contoso', 't', 'octocat']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('unknown keys', () => {
  it('does not pollute prototypes through __proto__ or constructor keys', () => {
    const body = fmBody(
      ...VALID,
      '__proto__: {polluted: yes}',
      'constructor: {prototype: {polluted: yes}}',
      'prototype: {polluted: yes}',
      'account_team: [{__proto__: {polluted: yes}, email: ann@contoso.com}]',
    );
    const parsed = parsedOk(body);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(parsed.fields.accountTeam).toEqual([{ name: null, email: 'ann@contoso.com' }]);
    expect(parsed.unknownKeys).toEqual([
      { key: '__proto__', suggestion: null },
      { key: 'constructor', suggestion: null },
      { key: 'prototype', suggestion: null },
    ]);
    const { body: out, after } = expectRewriteKeepsFm(parsed, STATE);
    expect(out).toContain('\n__proto__: {polluted: yes}\n');
    expect(after.unknownKeys.map((u) => u.key)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not pollute prototypes through a __proto__ bot key either', () => {
    const parsed = parsedOk(fmBody(...VALID, 'step: discussion', 'transfer: {__proto__: {polluted: yes}, queue: q}'));
    expect(parsed.bot?.transfer?.queue).toBe('q');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('suggests the known key an unknown key is close to', () => {
    const parsed = parsedOk(fmBody(...VALID, 'custmer: typo', 'servics: [a]', 'Locale: en', 'acount_team: []', 'notes: free text', 'reviewer: x'));
    expect(parsed.unknownKeys).toEqual([
      { key: 'custmer', suggestion: 'customer' },
      { key: 'servics', suggestion: 'services' },
      { key: 'Locale', suggestion: 'locale' },
      { key: 'acount_team', suggestion: 'account_team' },
      { key: 'notes', suggestion: null },
      { key: 'reviewer', suggestion: null },
    ]);
    expect(parsed.fields.locale).toBeNull();
    expectRewriteKeepsFm(parsed, STATE);
  });
});

// ---------------------------------------------------------------------------------------------

describe('bot state', () => {
  /** Each bot key's lines, as a hand-written (not bot-rendered) front-matter would have them. */
  const BOT_PAIRS: Array<[string, string[]]> = [
    ['step', ['step: follow-up']],
    ['step_since', ['step_since: 2026-12-02T15:30:00Z']],
    ['workload_ready', ['workload_ready: true']],
    ['task_4060', ['task_4060: done']],
    ['next_action_date', ['next_action_date: 2027-01-04']],
    [
      'transfer',
      [
        'transfer:',
        '  queue: FTCQ Inactive – EMEA',
        "  request: 'acme/transfers#12'",
        '  requested_at: 2026-12-03T09:00:00Z',
        '  confirmed_by: alice',
        '  confirmed_at: 2026-12-05T10:00:00.123Z',
      ],
    ],
    ['stalled_since', ['stalled_since: 2026-12-20T00:00:00Z']],
    [
      'history',
      [
        'history:',
        '  - {at: 2026-11-25T10:00:00Z, by: octocat, from: null, to: awaiting-migration, via: opened}',
        '  - at: 2026-12-02T15:30:00Z',
        '    by: octocat',
        '    from: discussion',
        '    to: follow-up',
        '    via: label workload-ready',
      ],
    ],
    ['completed_at', ['completed_at: null']],
  ];
  const BOT_LINES = BOT_PAIRS.flatMap(([, lines]) => lines);
  const READ: BotState = {
    step: 'follow-up',
    step_since: '2026-12-02T15:30:00Z',
    recorded: { workload_ready: true },
    tasks: { task_4060: 'done' },
    next_action_date: '2027-01-04',
    transfer: {
      queue: 'FTCQ Inactive – EMEA',
      request: 'acme/transfers#12',
      requested_at: '2026-12-03T09:00:00Z',
      confirmed_by: 'alice',
      confirmed_at: '2026-12-05T10:00:00.123Z',
    },
    stalled_since: '2026-12-20T00:00:00Z',
    history: [
      { at: T0, by: 'octocat', from: null, to: 'awaiting-migration', via: 'opened' },
      { at: '2026-12-02T15:30:00Z', by: 'octocat', from: 'discussion', to: 'follow-up', via: 'label workload-ready' },
    ],
    completed_at: null,
  };

  it('reads every bot key', () => {
    const parsed = parsedOk(fmBody(...VALID, ...BOT_LINES));
    expect(parsed.bot).toEqual(READ);
    expect(parsed.botProblems).toEqual([]);
    expect(parsed.unknownKeys).toEqual([]);
    expect(parsed.source.fmYaml).toBe(`${VALID.join('\n')}\n`);
  });

  it('is null when the bot has written nothing yet', () => {
    expect(parsedOk(fmBody(...VALID)).bot).toBeNull();
  });

  it('writes what it reads', () => {
    const parsed = parsedOk(fmBody(...VALID, ...BOT_LINES));
    expectRewriteKeepsFm(parsed, READ);
    expectRewriteKeepsFm(parsed, STATE);
  });

  it('renders the bot block in its fixed key order, leaving unset optional keys out', () => {
    const minimal: BotState = { ...STATE, recorded: { workload_ready: null }, next_action_date: null, transfer: null, stalled_since: null, history: [], completed_at: null };
    const block = renderBotBlock(minimal);
    expect(block.split('\n')[0]).toBe(`step: follow-up ${BOT_NOTES.en}`);
    expect(renderBotBlock(minimal, 'pt-BR').split('\n')[0]).toBe(`step: follow-up ${BOT_NOTES['pt-BR']}`);
    // Nothing unset is written, not even as \`null\` or an empty list.
    expect(block).toBe(`step: follow-up ${BOT_NOTES.en}\nstep_since: 2026-12-02T15:30:00Z\ntask_4060: pending\n`);
    expect([...renderBotBlock({ ...minimal, recorded: { workload_ready: false } }).matchAll(/^([a-z_0-9]+):/gm)].map((m) => m[1])).toEqual(['step', 'step_since', 'workload_ready', 'task_4060']);
    expect(parsedOk(renderBody(parsedOk(fmBody(...VALID)).source, minimal)).bot).toEqual(minimal);
    const full = renderBotBlock(READ);
    expect([...full.matchAll(/^([a-z_0-9]+):/gm)].map((m) => m[1])).toEqual(BOT_KEYS.filter((k) => k !== 'completed_at'));
    // completed_at before the history, which comes last.
    expect([...renderBotBlock(STATE_COMPLETED).matchAll(/^([a-z_0-9]+):/gm)].map((m) => m[1])).toEqual([
      ...BOT_KEYS.filter((k) => !['stalled_since', 'history', 'completed_at'].includes(k)),
      'completed_at',
      'history',
    ]);
  });

  const mangled: Array<[string, string, string, unknown]> = [
    ['step', 'step: banana', 'step', 'awaiting-migration'],
    ['step', 'step: 3', 'step', 'awaiting-migration'],
    ['step_since', 'step_since: yesterday', 'step_since', '1970-01-01T00:00:00Z'],
    ['step_since', 'step_since: 2026-11-25', 'step_since', '1970-01-01T00:00:00Z'],
    ['workload_ready', 'workload_ready: maybe', 'workload_ready', null],
    ['task_4060', 'task_4060: finished', 'task_4060', 'pending'],
    ['next_action_date', 'next_action_date: tomorrow', 'next_action_date', null],
    ['transfer', 'transfer: queue-moved', 'transfer', null],
    ['transfer', 'transfer: {request: "#12"}', 'transfer', null],
    ['stalled_since', 'stalled_since: 3', 'stalled_since', null],
    ['history', 'history: 3', 'history', []],
    ['history', 'history: [{at: 2026-11-25T10:00:00Z, to: nowhere}]', 'history', []],
    ['history', 'history: [just text]', 'history', []],
    ['history', 'history: [{"2026-11-25T10:00:00Z octocat": nowhere (opened)}]', 'history', []],
    ['history', 'history: [{"2026-11-25T10:00:00Z octocat": awaiting-migration opened}]', 'history', []],
    ['history', 'history: [{octocat: awaiting-migration (opened)}]', 'history', []],
    ['history', 'history: [{"yesterday octocat": awaiting-migration (opened)}]', 'history', []],
    ['history', 'history: [{"2026-11-25T10:00:00Z a": b (c), "2026-11-25T10:00:00Z d": e (f)}]', 'history', []],
    ['completed_at', 'completed_at: soon', 'completed_at', null],
  ];

  it.each(mangled)('reports a hand-mangled %s (%s) without failing the parse', (key, line, field, fallback) => {
    // The mangled pair takes the place of the good one, among the other bot keys.
    const body = fmBody(...VALID, ...BOT_PAIRS.flatMap(([k, lines]) => (k === key ? [line] : lines)));
    const parsed = parsedOk(body);
    const lineNo = body.split('\n').indexOf(line) + 1;
    expect(parsed.botProblems).toEqual([{ code: 'invalid-bot-key', key, line: lineNo, column: line.indexOf(':') + 3 }]);
    const written = parsed.bot && asWritten(parsed.bot);
    expect(written?.[field]).toEqual(fallback);
    // The other bot keys are still read.
    for (const k of BOT_KEYS.filter((k) => k !== key)) expect(written?.[k], k).toEqual(asWritten(READ)[k]);
    expect(parsed.fields.customer).toBe('Contoso');
    // A rewrite puts a readable value back and keeps the FM part.
    const { body: out } = expectRewriteKeepsFm(parsed, STATE);
    expect(out).not.toContain(line);
  });

  it('reports a missing step_since when other bot keys are there', () => {
    const parsed = parsedOk(fmBody(...VALID, 'step: discussion'));
    expect(parsed.botProblems).toEqual([expect.objectContaining({ code: 'invalid-bot-key', key: 'step_since' })]);
    expect(parsed.bot?.step).toBe('discussion');
  });

  it('does not count the bot comment line as an FM comment', () => {
    const parsed = parsedOk(fmBody(...VALID, BOT_BLOCK_COMMENT, 'step: discussion', 'step_since: 2026-11-25T10:00:00Z'));
    expect(parsed.source.fmYaml).toBe(`${VALID.join('\n')}\n`);
  });

  it('reads the history one move a line, each value back as written', () => {
    const parsed = parsedOk(
      fmBody(
        ...VALID,
        'step: follow-up # kept by engagement-bot from here on; move the engagement with labels',
        'step_since: 2026-12-02T15:30:00Z',
        'history:',
        `  - ${T0} octocat: awaiting-migration (opened)`,
        '  - 2026-11-28T08:00:00.123Z github-actions[bot]: awaiting-migration → discussion (label:migration-complete (again))',
        '  - "2026-12-01T00:00:00Z a: b # c": discussion → discussion ()',
        '  - 2026-12-02T15:30:00Z @org/team: discussion → follow-up ("quoted" → via)',
      ),
    );
    expect(parsed.botProblems).toEqual([]);
    expect(parsed.bot?.history).toEqual([
      { at: T0, by: 'octocat', from: null, to: 'awaiting-migration', via: 'opened' },
      { at: '2026-11-28T08:00:00.123Z', by: 'github-actions[bot]', from: 'awaiting-migration', to: 'discussion', via: 'label:migration-complete (again)' },
      { at: '2026-12-01T00:00:00Z', by: 'a: b # c', from: 'discussion', to: 'discussion', via: '' },
      { at: '2026-12-02T15:30:00Z', by: '@org/team', from: 'discussion', to: 'follow-up', via: '"quoted" → via' },
    ]);
    // The note on the step line goes with it; the FM's part is the FM's lines.
    expect(parsed.source.fmYaml).toBe(`${VALID.join('\n')}\n`);
    expectRewriteKeepsFm(parsed, parsed.bot as BotState);
  });

  it('writes values that need it quoted, on one line, and reads them back', () => {
    const odd = 'a: b # c\n---\n# heading?\n{x: null}\u0085\u2028\u007f\t"\\';
    const state: BotState = {
      ...STATE,
      transfer: { ...(STATE.transfer as Transfer), queue: odd, confirmed_by: odd },
      history: [{ at: T0, by: odd, from: 'discussion', to: 'follow-up', via: odd }],
    };
    const { body } = expectRewriteKeepsFm(parsedOk(fmBody(...VALID)), state);
    const lines = body.split('\n');
    // One line a value: nothing of them starts a line, no fence, no heading.
    expect(lines.filter((l) => l.startsWith('---'))).toEqual(['---', '---']);
    expect(lines.filter((l) => /^\s*#/.test(l))).toEqual([]);
    expect(body).not.toMatch(/[\u0085\u2028\u007f]/);
  });

  it('reads the bot keys as earlier versions wrote them, in either language, and rewrites them in the new form', () => {
    for (const [locale, comment] of Object.entries(BOT_BLOCK_COMMENTS)) {
      const old = fmBody(
        ...VALID,
        'services:',
        '  - Exchange',
        comment,
        'step: discussion',
        'step_since: 2026-11-28T08:00:00Z',
        'workload_ready: null',
        'task_4060: pending',
        'history:',
        '  - { at: 2026-11-25T10:00:00Z, by: octocat, from: null, to: awaiting-migration, via: opened }',
        '  - { at: 2026-11-26T10:00:00Z, by: octocat, from: awaiting-migration, to: preparation, via: "label:migration-complete" }',
        '  - { at: 2026-11-28T08:00:00Z, by: octocat, from: preparation, to: discussion, via: "label:account-team-notified" }',
      );
      const parsed = parsedOk(old);
      expect(parsed.botProblems, locale).toEqual([]);
      expect(parsed.source.fmYaml).toBe(`${VALID.join('\n')}\nservices:\n  - Exchange\n`);
      expect(parsed.bot?.history.map((h) => [h.from, h.to])).toEqual([[null, 'awaiting-migration'], ['awaiting-migration', 'preparation'], ['preparation', 'discussion']]);
      const body = renderBody(parsed.source, parsed.bot as BotState, locale as Locale);
      expect(body).toBe(
        fmBody(
          ...VALID,
          'services:',
          '  - Exchange',
          '',
          `step: discussion ${BOT_NOTES[locale as Locale]}`,
          'step_since: 2026-11-28T08:00:00Z',
          'task_4060: pending',
          'history:',
          `  - ${T0} octocat: awaiting-migration (opened)`,
          '  - 2026-11-26T10:00:00Z octocat: awaiting-migration → preparation (label:migration-complete)',
          '  - 2026-11-28T08:00:00Z octocat: preparation → discussion (label:account-team-notified)',
        ),
      );
      expect(parsedOk(body).bot).toEqual(parsed.bot);
    }
  });
});

describe('blank lines', () => {
  it('keeps the FM\'s blank lines, a last one included, and writes one before the bot keys', () => {
    for (const fm of [[...VALID, ''], ['', ...VALID], [VALID[0] as string, '', '', ...VALID.slice(1), '', '']]) {
      const before = parsedOk(fmBody(...fm));
      expect(before.source.fmYaml).toBe(`${fm.join('\n')}\n`);
      const { body } = expectRewriteKeepsFm(before, STATE);
      expect(body).toContain(`${fm.join('\n')}\n\nstep: `);
      expectRewriteKeepsFm(before, { ...STATE, history: [] });
    }
  });

  it('leaves the FM\'s blank lines around bot keys written among its own', () => {
    const before = parsedOk(fmBody(VALID[0] as string, '', 'step: discussion', 'step_since: 2026-11-28T08:00:00Z', '', ...VALID.slice(1)));
    expect(before.source.fmYaml).toBe(`${VALID[0]}\n\n\n${VALID.slice(1).join('\n')}\n`);
    expectRewriteKeepsFm(before, STATE);
  });

  it('ends the bot keys with a blank line when there is no history (the closing --- would underline them)', () => {
    const source = parsedOk(fmBody(...VALID)).source;
    expect(renderBody(source, { ...STATE, history: [] })).toContain('\nnext_action_date: 2027-01-04\ntransfer:\n  queue: FTCQ Inactive – EMEA\n  request: "#12"\n  requested_at: 2026-12-03T09:00:00Z\n\n---\n');
    expect(renderBody(source, STATE)).toContain('(label workload-not-ready)\n---\n');
  });
});

// ---------------------------------------------------------------------------------------------

describe('renderBodyWithinLimit', () => {
  const history = (n: number): HistoryEntry[] =>
    Array.from({ length: n }, (_, i) => ({
      at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z'),
      by: 'octocat',
      from: STEPS[i % STEPS.length] as Step,
      to: STEPS[(i + 1) % STEPS.length] as Step,
      via: `label entry-${i}`,
    }));

  /** A parsed body whose Markdown after the fence is padded to `restLength` characters. */
  const sourceWithRest = (restLength: number) => {
    const rest = `---\n${'Lorem ipsum dolor sit amet. '.repeat(Math.ceil(restLength / 28)).slice(0, restLength - 4)}`;
    return parsedOk(`---\n${VALID.join('\n')}\n${rest}`).source;
  };

  it('returns the plain rewrite when it fits', () => {
    const source = sourceWithRest(1000);
    const state = { ...STATE, history: history(50) };
    expect(renderBodyWithinLimit(source, state)).toBe(renderBody(source, state));
  });

  it('drops the oldest history entries, only as many as needed', () => {
    const source = sourceWithRest(60_000);
    const all = history(300);
    const state = { ...STATE, history: all };
    expect(renderBody(source, state).length).toBeGreaterThan(MAX_BODY_LENGTH);
    const body = renderBodyWithinLimit(source, state);
    expect(body).not.toBeNull();
    expect((body as string).length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    const back = parsedOk(body as string);
    const kept = back.bot?.history ?? [];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
    // The newest entries, in order.
    expect(kept).toEqual(all.slice(all.length - kept.length));
    // Not one entry more would have fitted.
    expect(renderBody(source, { ...state, history: all.slice(all.length - kept.length - 1) }).length).toBeGreaterThan(MAX_BODY_LENGTH);
    // Everything else is kept.
    expect({ ...back.bot, history: [] }).toEqual({ ...STATE, history: [] });
    expect(back.source.closingAndRest).toBe(source.closingAndRest);
    expect(back.source.fmYaml).toBe(source.fmYaml);
  });

  it('keeps the newest entry when only one fits', () => {
    const source = sourceWithRest(1000);
    const noHistory = renderBody(source, { ...STATE, history: [] }).length;
    const one = renderBody(source, { ...STATE, history: history(1) }).length;
    const perEntry = one - noHistory;
    const padded = sourceWithRest(1000 + (MAX_BODY_LENGTH - one) - Math.floor(perEntry / 2));
    const all = history(20);
    const body = renderBodyWithinLimit(padded, { ...STATE, history: all });
    expect(body).not.toBeNull();
    expect(parsedOk(body as string).bot?.history).toEqual(all.slice(-1));
  });

  it('is null when the FM part alone is too long, and fits a body of exactly the limit', () => {
    const empty = { ...STATE, history: [] };
    const base = sourceWithRest(1000);
    const atLimit = sourceWithRest(1000 + MAX_BODY_LENGTH - renderBody(base, empty).length);
    expect(renderBody(atLimit, empty)).toHaveLength(MAX_BODY_LENGTH);
    expect(renderBodyWithinLimit(atLimit, { ...STATE, history: history(10) })).toBe(renderBody(atLimit, empty));
    const overLimit = sourceWithRest(1001 + MAX_BODY_LENGTH - renderBody(base, empty).length);
    expect(renderBodyWithinLimit(overLimit, { ...STATE, history: history(10) })).toBeNull();
    expect(renderBodyWithinLimit(sourceWithRest(70_000), empty)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe('markup in values', () => {
  const HOSTILE = {
    customer: '<img src=x onerror=alert(1)> {{constructor}} -->',
    tenant: '{{#each this}}{{/each}} <!-- x',
    service: '@org/team',
    activity: '{{{raw}}} </details> -->',
    name: '<script>alert(1)</script>',
  };

  it('reads HTML, Handlebars, @mentions and --> verbatim and keeps them on rewrite', () => {
    const body = fmBody(
      `customer: ${JSON.stringify(HOSTILE.customer)}`,
      `tenant: '${HOSTILE.tenant}'`,
      'region: EMEA',
      'fm: octocat',
      `services: [${JSON.stringify(HOSTILE.service)}, <b>bold</b> -->, "{{x}}"]`,
      'completed_activities:',
      `  - ${JSON.stringify(HOSTILE.activity)}`,
      `  - plain <i>html</i> {{y}} --> end`,
      'account_team:',
      `  - {name: ${JSON.stringify(HOSTILE.name)}, email: ann@contoso.com}`,
    );
    const parsed = parsedOk(body);
    expect(parsed.fields.customer).toBe(HOSTILE.customer);
    expect(parsed.fields.tenant).toBe(HOSTILE.tenant);
    expect(parsed.fields.services).toEqual([HOSTILE.service, '<b>bold</b> -->', '{{x}}']);
    expect(parsed.fields.completedActivities).toEqual([HOSTILE.activity, 'plain <i>html</i> {{y}} --> end']);
    expect(parsed.fields.accountTeam).toEqual([{ name: HOSTILE.name, email: 'ann@contoso.com' }]);
    const state: BotState = {
      ...STATE,
      transfer: { ...(STATE.transfer as Transfer), confirmed_by: '<b>x</b> {{y}}', request: '-->' },
      history: [{ at: T0, by: '@org/team', from: null, to: 'discussion', via: '{{x}} --> <!--' }],
    };
    const { body: out } = expectRewriteKeepsFm(parsed, state);
    expect(out).toContain(`customer: ${JSON.stringify(HOSTILE.customer)}\n`);
    expect(out).toContain('  - plain <i>html</i> {{y}} --> end\n');
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

const PROPERTY_RUNS = { numRuns: 200 };

/** Printable text: ASCII (quotes, #, :, {, } ...) and a few non-ASCII characters, no line breaks. */
const textChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ã', 'Ç', '–', '—', '“', '”', '€', '日本', '😀', '\t', '\u00a0') },
);
const text = fc.string({ unit: textChar, minLength: 0, maxLength: 24 });
const nonBlank = text.filter((s) => s.trim() !== '');

/** A YAML scalar for `s`: double-quoted via JSON.stringify, or single-quoted. */
const quoted = (s: string, single: boolean) => (single ? `'${s.replace(/'/g, "''")}'` : JSON.stringify(s));

const isoTime = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const isoDate = isoTime.map((t) => t.slice(0, 10));
const step = fc.constantFrom(...STEPS);
/** Text the bot writes for values such as `by`, `via`, `request`: anything, including line breaks. */
const botText = fc.oneof(text, fc.string({ unit: fc.constantFrom('a', ' ', '\n', '"', "'", '#', ':', '-', '{', '}', '|', '>') }));
const botNonBlank = botText.filter((s) => s.trim() !== '');

const historyEntry: fc.Arbitrary<HistoryEntry> = fc.record({
  at: isoTime,
  by: botText,
  from: fc.option(step, { nil: null }),
  to: step,
  via: botText,
});

const botState: fc.Arbitrary<BotState> = fc.record({
  step,
  step_since: isoTime,
  recorded: fc.record({ workload_ready: fc.constantFrom(true, false, null) }),
  tasks: fc.record({ task_4060: fc.constantFrom('pending' as const, 'done' as const) }),
  next_action_date: fc.option(isoDate, { nil: null }),
  transfer: fc.option(
    fc.record({
      queue: botNonBlank,
      request: fc.option(fc.oneof(fc.constantFrom('#12', 'acme/transfers#7'), botNonBlank), { nil: null }),
      requested_at: fc.option(isoTime, { nil: null }),
      confirmed_by: fc.option(botNonBlank, { nil: null }),
      confirmed_at: fc.option(isoTime, { nil: null }),
    }),
    { nil: null },
  ),
  stalled_since: fc.option(isoTime, { nil: null }),
  history: fc.array(historyEntry, { maxLength: 6 }),
  completed_at: fc.option(isoTime, { nil: null }),
});

const login = fc
  .array(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('-'))
  .filter((s) => s.length <= 39);
const email = fc.stringMatching(/^[a-z0-9._+-]{1,10}@[a-z0-9-]{1,10}\.[a-z]{2,6}$/);

const regionSpelling: fc.Arbitrary<[string, Region]> = fc
  .tuple(
    fc.constantFrom<[string, Region]>(['Americas', 'Americas'], ['America', 'Americas'], ['Américas', 'Americas'], ['APJ', 'APJ'], ['APAC', 'APJ'], ['EMEA', 'EMEA']),
    fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  )
  .map(([[spelling, region], upper]) => [[...spelling].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''), region]);

const localeSpelling = fc.constantFrom<[string, Locale]>(['en', 'en'], ['EN', 'en'], ['en-us', 'en'], ['en_GB', 'en'], ['pt-br', 'pt-BR'], ['pt_BR', 'pt-BR'], ['PT', 'pt-BR']);

type ListStyle = 'flow' | 'block' | 'compact';
const listStyle = fc.constantFrom<ListStyle>('flow', 'block', 'compact');

/** YAML lines for `key: [items]` in one of three styles. */
function listLines(key: string, items: string[], style: ListStyle, comment: string | null): string[] {
  const tail = comment === null ? '' : ` # ${comment}`;
  if (style === 'flow' || items.length === 0) return [`${key}: [${items.join(', ')}]${tail}`];
  const indent = style === 'block' ? '  ' : '';
  return [`${key}:${tail}`, ...items.map((item) => `${indent}- ${item}`)];
}

interface Entry {
  lines: string[];
}

interface GeneratedFm {
  entries: Entry[];
  expected: EngagementFields;
  unknown: string[];
}

const comment = fc.option(text.map((s) => s.replace(/[\r\n]/g, ' ')), { nil: null, freq: 3 });

const generatedFm: fc.Arbitrary<GeneratedFm> = fc
  .record({
    customer: fc.tuple(nonBlank, fc.boolean(), comment, comment),
    tenant: fc.tuple(nonBlank, fc.boolean(), comment, comment),
    region: fc.tuple(regionSpelling, fc.boolean(), comment),
    fm: fc.tuple(login, fc.boolean(), comment),
    services: fc.option(fc.tuple(fc.array(fc.tuple(nonBlank, fc.boolean()), { maxLength: 4 }), listStyle, comment, comment), { nil: null }),
    activities: fc.option(fc.tuple(fc.array(fc.tuple(nonBlank, fc.boolean()), { maxLength: 4 }), listStyle, comment), { nil: null }),
    team: fc.option(
      fc.tuple(
        fc.array(fc.tuple(email, fc.option(nonBlank, { nil: null }), fc.constantFrom('plain', 'flow', 'block')), { maxLength: 3 }),
        fc.constantFrom<ListStyle>('block', 'compact'),
        comment,
      ),
      { nil: null },
    ),
    locale: fc.option(fc.tuple(localeSpelling, comment), { nil: null }),
    unknown: fc.uniqueArray(fc.tuple(fc.stringMatching(/^x_[a-z]{1,6}$/), text, comment), { maxLength: 3, selector: ([k]) => k }),
    order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
  })
  .map((g) => {
    const entries: Entry[] = [];
    const before = (c: string | null) => (c === null ? [] : [`# ${c}`]);
    const after = (c: string | null) => (c === null ? '' : `  # ${c}`);
    entries.push({ lines: [...before(g.customer[2]), `customer: ${quoted(g.customer[0], g.customer[1])}${after(g.customer[3])}`] });
    entries.push({ lines: [...before(g.tenant[2]), `tenant: ${quoted(g.tenant[0], g.tenant[1])}${after(g.tenant[3])}`] });
    entries.push({ lines: [`region: ${g.region[1] ? JSON.stringify(g.region[0][0]) : g.region[0][0]}${after(g.region[2])}`] });
    entries.push({ lines: [...before(g.fm[2]), `fm: ${JSON.stringify(g.fm[1] ? `@${g.fm[0]}` : g.fm[0])}`] });
    if (g.services) {
      const [items, style, c1, c2] = g.services;
      entries.push({ lines: [...before(c1), ...listLines('services', items.map(([s, single]) => quoted(s, single)), style, c2)] });
    }
    if (g.activities) {
      const [items, style, c] = g.activities;
      entries.push({ lines: listLines('completed_activities', items.map(([s, single]) => quoted(s, single)), style, c) });
    }
    if (g.team) {
      const [members, style, c] = g.team;
      const indent = style === 'block' ? '  ' : '';
      const lines = [`account_team:${c === null ? '' : ` # ${c}`}`];
      if (members.length === 0) lines[0] = 'account_team: []';
      for (const [address, name, form] of members) {
        if (form === 'plain' || name === null) lines.push(`${indent}- ${address}`);
        else if (form === 'flow') lines.push(`${indent}- {name: ${JSON.stringify(name)}, email: ${address}}`);
        else lines.push(`${indent}- name: ${JSON.stringify(name)}`, `${indent}  email: ${JSON.stringify(address)}`);
      }
      entries.push({ lines });
    }
    if (g.locale) entries.push({ lines: [`locale: ${g.locale[0][0]}${after(g.locale[1])}`] });
    for (const [key, value, c] of g.unknown) entries.push({ lines: [...before(c), `${key}: ${JSON.stringify(value)}`] });
    // Shuffle the entries by the generated order (stable for ties).
    const order = entries.map((entry, i) => ({ entry, rank: g.order[i] ?? 0, i }));
    order.sort((a, b) => a.rank - b.rank || a.i - b.i);
    const expected: EngagementFields = {
      customer: g.customer[0].trim(),
      tenant: g.tenant[0].trim(),
      region: g.region[0][1],
      fm: g.fm[0],
      accountTeam: (g.team?.[0] ?? []).map(([address, name, form]) => ({ name: form === 'plain' || name === null ? null : name.trim(), email: address })),
      services: (g.services?.[0] ?? []).map(([s]) => s.trim()),
      completedActivities: (g.activities?.[0] ?? []).map(([s]) => s.trim()),
      locale: g.locale ? g.locale[0][1] : null,
      playbook: null,
      fmName: null,
      customerContacts: [],
    };
    return { entries: order.map((o) => o.entry), expected, unknown: order.map((o) => o.entry.lines.at(-1) ?? '').filter((l) => l.startsWith('x_')).map((l) => l.slice(0, l.indexOf(':'))) };
  });

const markdownLine = fc.oneof(
  text,
  fc.constantFrom('---', '...', '```yaml', '```', 'step: completed', 'customer: Other', '# Heading', '', '  ---', '<!-- note -->', '- [ ] task', '{{x}}'),
);
const markdown = fc.array(markdownLine, { maxLength: 8 });
const closingFence = fc.constantFrom('---', '--- ', '...', '---\t');

describe('properties', () => {
  it('parseEngagement never throws, whatever the string', () => {
    const yamlish = fc.string({
      unit: fc.constantFrom('---', '\n', '\r\n', ' ', '  ', ':', ': ', '- ', '[', ']', '{', '}', '&a ', '*a', '*b', '&b ', '!!', '!x ', '?', '#', '"', "'", '|', '>', '%', '@', '`', ',', 'customer', 'tenant', 'region', 'fm', 'step', 'history', '__proto__', 'x', '1', 'null', '\t', '\uFEFF', '...'),
      maxLength: 60,
    });
    const anything = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      yamlish,
      yamlish.map((s) => `---\n${s}\n---\n`),
      fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 5 })).map(([at, ins]) => {
        const i = at % (REALISTIC.length + 1);
        return REALISTIC.slice(0, i) + ins + REALISTIC.slice(i);
      }),
    );
    fc.assert(
      fc.property(anything, (body) => {
        const result = parseEngagement(body, builtInCatalog());
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) {
            if ('line' in problem) {
              expect(problem.line).toBeGreaterThanOrEqual(1);
              expect(problem.column).toBeGreaterThanOrEqual(1);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a body the bot accepts still reads the same after the bot writes into it', () => {
    const mutated = fc.tuple(fc.nat(), fc.constantFrom('\n# c\n', '\nx_new: 1\n', ' # c', '\n', '  ', '\r\n'), botState).map(([at, ins, state]) => {
      const base = renderBody(parsedOk(REALISTIC).source, STATE);
      const i = at % (base.length + 1);
      return [base.slice(0, i) + ins + base.slice(i), state] as const;
    });
    fc.assert(
      fc.property(mutated, ([body, state]) => {
        const before = parseEngagement(body, builtInCatalog());
        if (!before.ok) return;
        const after = parsedOk(renderBody(before.source, state));
        expect(after.fields).toEqual(before.fields);
        expect(after.bot).toEqual(state);
        expect(after.source.fmYaml).toBe(before.source.fmYaml);
        expect(after.source.closingAndRest).toBe(before.source.closingAndRest);
      }),
      PROPERTY_RUNS,
    );
  });

  it('generated front-matter: rewrite → parse gives the same fields and state, the FM part unchanged, and a fixpoint', () => {
    fc.assert(
      fc.property(
        generatedFm,
        fc.option(fc.tuple(botState, fc.nat()), { nil: null }),
        botState,
        markdown,
        closingFence,
        fc.boolean(),
        fc.boolean(),
        (fm, earlier, state, rest, closing, crlf, bom) => {
          const fmLines = fm.entries.flatMap((e) => e.lines);
          const fmYaml = fmLines.map((l) => `${l}\n`).join('');
          // An earlier bot block, somewhere among the FM's keys.
          const lines = [...fmLines];
          if (earlier) {
            const [earlierState, where] = earlier;
            const at = fm.entries.slice(0, where % (fm.entries.length + 1)).reduce((n, e) => n + e.lines.length, 0);
            lines.splice(at, 0, ...renderBotBlock(earlierState).replace(/\n$/, '').split('\n'));
          }
          const restText = [closing, ...rest].join('\n');
          const eol = crlf ? '\r\n' : '\n';
          const lf = `---\n${lines.map((l) => `${l}\n`).join('')}${restText}`;
          const body = (bom ? '\uFEFF' : '') + (crlf ? lf.replace(/\n/g, '\r\n') : lf);

          const before = parsedOk(body);
          expect(before.fields).toEqual(fm.expected);
          expect(before.bot).toEqual(earlier ? earlier[0] : null);
          expect(before.botProblems).toEqual([]);
          expect(before.unknownKeys.map((u) => u.key)).toEqual(fm.unknown);
          for (const u of before.unknownKeys) expect(u.suggestion === null || (FM_KEYS as readonly string[]).includes(u.suggestion)).toBe(true);
          expect(before.source.opening).toBe(`${bom ? '\uFEFF' : ''}---${eol}`);
          expect(before.source.fmYaml).toBe(crlf ? fmYaml.replace(/\n/g, '\r\n') : fmYaml);
          expect(before.source.closingAndRest).toBe(crlf ? restText.replace(/\n/g, '\r\n') : restText);
          expect(before.source.eol).toBe(eol);

          const { body: out } = expectRewriteKeepsFm(before, state);
          if (crlf) expect(out).not.toMatch(/(?<!\r)\n/);
          else expect(out).not.toContain('\r');
          // The same body, had the bot written `state` the first time.
          if (earlier) {
            const fresh = (bom ? '\uFEFF' : '') + `---${eol}${before.source.fmYaml}`;
            expect(out.startsWith(fresh)).toBe(true);
          }
        },
      ),
      PROPERTY_RUNS,
    );
  });

  it('renderBodyWithinLimit always fits and keeps a suffix of the history', () => {
    fc.assert(
      fc.property(fc.integer({ min: 55_000, max: 66_000 }), fc.array(historyEntry, { maxLength: 120 }), botState, (restLength, hist, state) => {
        const source = parsedOk(`---\n${VALID.join('\n')}\n---\n${'x'.repeat(restLength)}`).source;
        const full = { ...state, history: hist };
        const body = renderBodyWithinLimit(source, full);
        if (body === null) {
          expect(renderBody(source, { ...full, history: [] }).length).toBeGreaterThan(MAX_BODY_LENGTH);
          return;
        }
        expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
        const kept = parsedOk(body).bot?.history ?? [];
        expect(kept).toEqual(hist.slice(hist.length - kept.length));
        if (kept.length < hist.length) {
          expect(renderBody(source, { ...full, history: hist.slice(hist.length - kept.length - 1) }).length).toBeGreaterThan(MAX_BODY_LENGTH);
        }
      }),
      { numRuns: 100 },
    );
  });
});
