// Bad and hostile input against the GitHub stand-in: every malformed front-matter gets one clear
// comment (not repeated), no state change and a warning, and the run succeeds; oversized and
// hostile values never crash a run or leak markup, mentions or markers; other engagements are
// unaffected. Then security: the token is masked and never printed, and no user text reaches a
// shell, `eval` or a template compiler.
import { readFileSync, readdirSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markersIn } from '../src/process/markers.js';
import type { EventReport } from '../src/modes/event.js';
import type { StandInEvent } from './support/github-standin/index.js';
import { ASSIGNER, BOT, FM, WITHOUT_ACCOUNT_TEAM, WITH_ACCOUNT_TEAM, frontMatter, type TestWorld } from './support/harness.js';
import { LIMIT, botComments, neutralNumbers, outsideCode, runDistWith, stateOf, transferOf, walk, world } from './support/scenarios.js';

let tried = 0;
const kinds = new Set<string>();
/** Counts a bad input tried, for the figure printed at the end. */
function trying(kind: string): void {
  tried++;
  kinds.add(kind);
}
afterAll(() => console.log(`bad inputs: ${tried} tried (${kinds.size} kinds): one clear comment at most and never repeated, no state change, no crash, no effect on other engagements`));

const TO_OFFBOARDING = ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent'];
const GOOD = 'customer: Contoso\ntenant: contoso.com\nregion: EMEA\nfm: fm-alice\n';
const fm = (yaml: string, rest = '\nNotes.\n') => `---\n${yaml}---\n${rest}`;
const HOSTILE_TEXT = '<img src=x onerror=alert(1)> <script>alert(1)</script> {{labels.engagement}} @contoso-ft/assignment --> #1';

interface BadInput {
  name: string;
  body: string;
  /** What the one comment must say (the key, and line and column where they apply). */
  says: Array<string | RegExp>;
}

const INVALID: BadInput[] = [
  { name: 'broken YAML: unclosed flow sequence', body: fm('customer: Contoso\ntenant: [unclosed\nregion: EMEA\nfm: fm-alice\n'), says: [/Line \d+, column \d+: the YAML does not parse/] },
  { name: 'broken YAML: unterminated quoted string', body: fm('customer: "Contoso\ntenant: contoso.com\nregion: EMEA\nfm: fm-alice\n'), says: [/Line \d+, column \d+: the YAML does not parse/] },
  { name: 'broken YAML: duplicate key', body: fm(`${GOOD}customer: Again\n`), says: ['Line 6, column 1: the YAML does not parse (Map keys must be unique)'] },
  { name: 'broken YAML in a CRLF body: same line and column as LF', body: fm('customer: Contoso\ntenant: [unclosed\nregion: EMEA\nfm: fm-alice\n').replace(/\n/g, '\r\n'), says: [/Line \d+, column \d+: the YAML does not parse/] },
  { name: 'no front-matter', body: 'Contoso engagement, customer Contoso, region EMEA.\n', says: ['must start with a front-matter block'] },
  { name: 'no closing fence', body: `---\n${GOOD}\nNotes.\n`, says: ['no closing `---` line'] },
  { name: 'empty front-matter', body: fm(''), says: ['`customer` is missing', '`tenant` is missing', '`region` is missing', '`fm` is missing'] },
  { name: 'missing key', body: fm('customer: Contoso\nregion: EMEA\nfm: fm-alice\n'), says: ['`tenant` is missing'] },
  { name: 'misspelt key', body: fm('customer: Contoso\ntennant: contoso.com\nregion: EMEA\nfm: fm-alice\n'), says: ['`tenant` is missing (you wrote `tennant`: a typo?)'] },
  { name: 'empty value', body: fm(GOOD.replace('customer: Contoso', 'customer:')), says: ['`customer` (line 2) is empty'] },
  { name: 'null value', body: fm(GOOD.replace('region: EMEA', 'region: ~')), says: ['`region` (line 4) is empty'] },
  { name: 'list instead of text', body: fm(GOOD.replace('customer: Contoso', 'customer: [Contoso, Fabrikam]')), says: ['`customer` (line 2, column 11) must be text, not a list'] },
  { name: 'mapping instead of a list', body: fm(`${GOOD}services: {exchange: yes}\n`), says: ['`services` (line 6, column 11) must be a list, not a mapping'] },
  { name: 'non-text item in a list', body: fm(`${GOOD}services: [Exchange, 42]\n`), says: ['`services` (line 6, column 11) must be a list of text, not a number'] },
  { name: 'number instead of text', body: fm(GOOD.replace('customer: Contoso', 'customer: 123')), says: ['`customer` (line 2, column 11) must be text, not a number; put the value in quotes'] },
  { name: 'boolean instead of text', body: fm(GOOD.replace('tenant: contoso.com', 'tenant: true')), says: ['`tenant` (line 3, column 9) must be text, not true/false'] },
  { name: 'float login', body: fm(GOOD.replace('fm: fm-alice', 'fm: 1.5')), says: ['`fm` (line 5, column 5) must be text, not a number'] },
  { name: 'infinity', body: fm(GOOD.replace('customer: Contoso', 'customer: .inf')), says: ['`customer` (line 2, column 11) must be text, not a number'] },
  { name: 'binary tag', body: fm(GOOD.replace('customer: Contoso', 'customer: !!binary aGVsbG8=')), says: [/`customer` \(line 2, column \d+\) must be text/] },
  { name: 'set tag', body: fm(GOOD.replace('customer: Contoso', 'customer: !!set {a, b}')), says: [/`customer` \(line 2, column \d+\) must be text/] },
  { name: 'unknown region', body: fm(GOOD.replace('region: EMEA', 'region: Mars')), says: ['`region` (line 4) is "Mars": use Americas, APJ or EMEA'] },
  { name: 'unknown region with HTML, Handlebars, a team mention, --> and a workflow command', body: fm(GOOD.replace('region: EMEA', `region: "${HOSTILE_TEXT}\\n::error::pwned"`)), says: ['`region` (line 4) is "&lt;img src=x onerror=alert\\(1\\)&gt;'] },
  { name: 'a team as the FM', body: fm(GOOD.replace('fm: fm-alice', 'fm: "@contoso-ft/assignment"')), says: ['`fm` (line 5) is "@\u200Bcontoso\\-ft/assignment", which is not a GitHub login'] },
  { name: 'invalid e-mail in the account team', body: fm(`${GOOD}account_team: [ana@contoso.com, "<b>not an e-mail</b>"]\n`), says: ['`account_team` (line 6) has "&lt;b&gt;not an e\\-mail&lt;/b&gt;", which is not an e-mail address'] },
  { name: 'account-team entry without e-mail', body: fm(`${GOOD}account_team:\n  - name: Ana\n`), says: ['`account_team` (line 7, column 3) must be an e-mail or {name, email}, not nothing'] },
  { name: 'unknown locale', body: fm(`${GOOD}locale: fr\n`), says: ['`locale` (line 6) is "fr": use `en` or `pt-BR`'] },
  {
    name: 'YAML alias bomb',
    body: fm(`${GOOD}a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`),
    says: ['too many YAML aliases'],
  },
  { name: 'alias to a missing anchor', body: fm(GOOD.replace('customer: Contoso', 'customer: *nowhere')), says: [/Line \d+, column \d+: the YAML does not parse/] },
  { name: 'a list, not a mapping', body: fm('- customer: Contoso\n- tenant: contoso.com\n'), says: ['must be a list of `key: value` lines'] },
  { name: 'flow mapping', body: fm('{customer: Contoso, tenant: contoso.com, region: EMEA, fm: fm-alice}\n'), says: ['not as `{ … }`'] },
  { name: 'complex key', body: fm(`${GOOD}? [a, b]\n: c\n`), says: ['Line 6, column 3: keys must be plain words'] },
  { name: 'numeric key', body: fm(`${GOOD}123: a\n`), says: ['Line 6, column 1: keys must be plain words'] },
  { name: '__proto__ as a value', body: fm(GOOD.replace('customer: Contoso', 'customer: {__proto__: {polluted: yes}}')), says: ['`customer` (line 2, column 11) must be text, not a mapping'] },
  { name: 'nesting 5,000 deep', body: fm(`${GOOD}services: ${'['.repeat(5000)}${']'.repeat(5000)}\n`), says: ['nested more than 64 levels deep'] },
];

/** Bodies within GitHub's limit whose messages would not be. */
const OVERSIZED: BadInput[] = [
  { name: 'services: 25,000 items (the welcome would list them all)', body: fm(`${GOOD}services: [${Array(25_000).fill('x').join(',')}]\n`), says: [] },
  { name: 'a customer name of 16,000 "<" (escaping makes it four times longer)', body: fm(GOOD.replace('customer: Contoso', `customer: "${'<'.repeat(16_000)}"`)), says: [] },
  { name: 'account_team: 25,000 invalid e-mails (one problem each)', body: fm(`${GOOD}account_team: [${Array(25_000).fill('a').join(',')}]\n`), says: [] },
  { name: '3,000 YAML errors', body: fm(Array(3000).fill('a: [\n').join('')), says: [] },
];

/** Runs every pending event in process; a run that throws is recorded, as the runner would show a failed job. */
async function deliverAll(w: TestWorld, log: StandInEvent[] = []): Promise<{ reports: EventReport[]; failures: string[] }> {
  const reports: EventReport[] = [];
  const failures: string[] = [];
  for (;;) {
    const events = w.newEvents();
    if (events.length === 0) return { reports, failures };
    log.push(...events);
    for (const e of events) {
      try {
        reports.push(await w.runInProcess(e));
      } catch (error) {
        failures.push(`${e.name}.${e.action}: ${String((error as Error).message).slice(0, 300)}`);
      }
    }
  }
}

/** What a reader must never see live in a bot text: HTML, evaluated or raw Handlebars, a team mention, an HTML comment. */
function expectInert(text: string, where: string): void {
  const live = outsideCode(text.replace(/<!-- engagement-bot:[A-Za-z0-9:/._#+-]+ -->/g, ''));
  expect(live, where).not.toMatch(/<(img|script|b)\b/i);
  expect(live, where).not.toContain('@contoso-ft/assignment');
  expect(live, where).not.toContain('{{');
  expect(live, where).not.toContain('<!--');
  expect(live, where).not.toContain('-->');
}

/** Bot writes the stand-in refused (a body over GitHub's limit, …). */
function rejectedWrites(w: TestWorld) {
  return w.gh.requests.filter((r) => r.actor === BOT && r.write && r.status >= 400).map((r) => `${r.method} ${r.path} → ${r.status}`);
}

// ---------------------------------------------------------------------------------------------
// Security

/** Preloaded into dist/index.js: records every child_process call, every eval and every source given to Function. */
const TRACER = `
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { writeFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const cp = require('node:child_process');
const trace = { childProcess: [], eval: [], functionSources: [] };
for (const name of ['exec', 'execFile', 'spawn', 'fork', 'execSync', 'execFileSync', 'spawnSync']) {
  const original = cp[name];
  cp[name] = function (...args) { trace.childProcess.push(name + ' ' + String(args[0])); return original.apply(this, args); };
}
syncBuiltinESMExports();
const originalEval = globalThis.eval;
globalThis.eval = function (source) { trace.eval.push(String(source)); return originalEval(source); };
const OriginalFunction = globalThis.Function;
const record = (args) => { trace.functionSources.push(args.map(String).join('\\n')); };
globalThis.Function = new Proxy(OriginalFunction, {
  apply(target, self, args) { record(args); return Reflect.apply(target, self, args); },
  construct(target, args, newTarget) { record(args); return Reflect.construct(target, args, newTarget === globalThis.Function ? target : newTarget); },
});
process.on('exit', () => writeFileSync(process.env.TRACE_FILE, JSON.stringify(trace)));
`;

describe.concurrent('bad input and security', () => {
  describe.concurrent.each(INVALID)('invalid front-matter: $name', ({ name, body, says }) => {
    it('one clear comment, not repeated; no state change; a warning; the run succeeds', async (test) => {
      trying(name);
      const w = await world(test);
      const n = await w.openEngagement(body);
      const log: StandInEvent[] = [];
      const first = await deliverAll(w, log);
      expect(first.failures).toEqual([]);
      expect(first.reports.some((r) => r.warnings.some((m) => m.includes('front-matter is invalid')))).toBe(true);
      const said = botComments(w, n);
      expect(said).toHaveLength(1);
      for (const s of says) {
        if (typeof s === 'string') expect(said[0]).toContain(s);
        else expect(said[0]).toMatch(s);
      }
      expectInert(said[0] as string, 'the validation comment');
      expect(w.issue(n)).toMatchObject({ body, labels: ['engagement'], assignees: [FM], state: 'open' });

      // More events on the same problem: a label, a notes edit, replays. Nothing more is said or changed.
      await w.addLabel(n, 'migration-complete');
      const edited = `${body}${body.includes('\r\n') ? '\r\n' : '\n'}More notes.`;
      await w.editBody(n, edited);
      const later = await deliverAll(w, log);
      expect(later.failures).toEqual([]);
      w.gh.resetLog();
      for (const e of log) await w.runInProcess(e);
      expect(w.gh.writes()).toEqual([]);
      expect(botComments(w, n)).toHaveLength(1);
      expect(w.issue(n)).toMatchObject({ body: edited, labels: ['engagement', 'migration-complete'], assignees: [FM] });
    });
  });

  describe.concurrent('oversized input never crashes a run nor writes over GitHub\'s limit', () => {
    it.for(OVERSIZED)('$name', async ({ name, body }, test) => {
      trying(name);
      expect(body.length).toBeLessThanOrEqual(LIMIT);
      const w = await world(test);
      const n = await w.openEngagement(body);
      const log: StandInEvent[] = [];
      const { failures } = await deliverAll(w, log);
      expect(failures).toEqual([]);
      expect(rejectedWrites(w)).toEqual([]);
      for (const c of botComments(w, n)) expect(c.length).toBeLessThanOrEqual(LIMIT);
      expect(botComments(w, n).length).toBeLessThanOrEqual(1);
      w.gh.resetLog();
      for (const e of log) await w.runInProcess(e).catch(() => undefined);
      expect(w.gh.writes().filter((r) => r.actor === BOT)).toEqual([]);
    });
  });

  describe.concurrent('a body near GitHub\'s limit of 65,536 characters', () => {
    it('the rewrite stays within the limit: the oldest history goes, the newest stays, the FM\'s text is kept', async (test) => {
      trying('history trimmed near the limit');
      const w = await world(test);
      const n = await walk(w, frontMatter(WITH_ACCOUNT_TEAM), ['migration-complete', 'account-team-notified']);
      const history = stateOf(w, n).history;
      expect(history).toHaveLength(3);
      const padded = `${w.issue(n).body}${'n'.repeat(LIMIT - 40 - w.issue(n).body.length)}\n`;
      await w.editBody(n, padded);
      await w.deliver();
      await w.addLabel(n, 'workload-ready');
      const { failures } = await deliverAll(w);
      expect(failures).toEqual([]);
      expect(rejectedWrites(w)).toEqual([]);
      const body = w.issue(n).body;
      expect(body.length).toBeLessThanOrEqual(LIMIT);
      expect(body.endsWith(`${'n'.repeat(100)}\n`)).toBe(true);
      const state = stateOf(w, n);
      expect(state.step).toBe('follow-up');
      expect(state.history.at(-1)).toMatchObject({ from: 'discussion', to: 'follow-up' });
      expect(state.history.length).toBeLessThan(4);
      expect(state.history[0]?.at).not.toBe(history[0]?.at);
    });

    it('a body too long for any state: one comment explaining, no state, not repeated', async (test) => {
      trying('a body too long for any state');
      const w = await world(test);
      const head = fm(GOOD, '\n');
      const body = head + 'n'.repeat(LIMIT - head.length);
      expect(body.length).toBe(LIMIT);
      const n = await w.openEngagement(body);
      const log: StandInEvent[] = [];
      const first = await deliverAll(w, log);
      expect(first.failures).toEqual([]);
      expect(first.reports.some((r) => r.warnings.some((m) => m.includes('too long')))).toBe(true);
      expect(botComments(w, n)).toHaveLength(1);
      expect(botComments(w, n)[0]).toContain('GitHub\'s limit of 65536 characters');
      expect(w.issue(n).body).toBe(body);
      await w.addLabel(n, 'migration-complete');
      await deliverAll(w, log);
      for (const e of log) await w.runInProcess(e);
      expect(botComments(w, n)).toHaveLength(1);
      expect(w.issue(n).body).toBe(body);
    });
  });

  describe.concurrent('valid front-matter with unusual content', () => {
    it('unknown keys (__proto__ and constructor too) are warned about and kept; nothing is polluted', async (test) => {
      trying('unknown keys');
      const w = await world(test);
      const extra = 'sponsor: Jane Doe  # the customer\'s sponsor\ncustmer: x\n__proto__: {polluted: yes}\nconstructor: {prototype: {polluted: yes}}\n';
      const body = frontMatter(WITHOUT_ACCOUNT_TEAM).replace('\n---\n', `\n${extra}---\n`);
      const n = await w.openEngagement(body);
      const { reports, failures } = await deliverAll(w);
      expect(failures).toEqual([]);
      const warnings = reports.flatMap((r) => r.warnings);
      for (const key of ['sponsor', 'custmer', '__proto__', 'constructor']) expect(warnings.join('\n')).toContain(`unknown front-matter key "${key}" kept as is`);
      expect(warnings.join('\n')).toContain('(did you mean "customer"?)');
      await w.addLabel(n, 'migration-complete');
      await deliverAll(w);
      expect(stateOf(w, n).step).toBe('discussion');
      expect(w.issue(n).body).toContain(extra);
      expect(botComments(w, n).some((c) => c.includes('needs a fix'))).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it('a CRLF body: walked to offboarding, CRLF kept throughout, the FM\'s part byte for byte', async (test) => {
      trying('CRLF body');
      const w = await world(test);
      const body = frontMatter(WITH_ACCOUNT_TEAM, '\r\nNotes\r\nwith CRLF.\r\n').replace(/\r?\n/g, '\r\n');
      const n = await walk(w, body, TO_OFFBOARDING);
      const after = w.issue(n).body;
      expect(stateOf(w, n).step).toBe('offboarding');
      expect(after).not.toMatch(/[^\r]\n/);
      const fmPart = body.slice(0, body.indexOf('\r\n---\r\n'));
      expect(after.startsWith(fmPart)).toBe(true);
      expect(after.endsWith('\r\n---\r\n\r\nNotes\r\nwith CRLF.\r\n')).toBe(true);
    });

    it('unknown and misspelt labels change nothing and write nothing', async (test) => {
      trying('unknown labels');
      const w = await world(test);
      const n = await walk(w, frontMatter(WITH_ACCOUNT_TEAM));
      const before = w.snapshot();
      for (const label of ['bug', 'migration-completed', 'Migration Complete', 'engagement-dashboard-x']) await w.addLabel(n, label);
      w.gh.resetLog();
      await deliverAll(w);
      expect(w.gh.writes().filter((r) => r.actor === BOT)).toEqual([]);
      expect(stateOf(w, n).step).toBe('awaiting-migration');
      expect((w.snapshot() as Array<{ comments: string[] }>)[0]?.comments).toEqual((before as Array<{ comments: string[] }>)[0]?.comments);
    });

    it('HTML, Handlebars, @org/team, --> and forged markers in every field: shown as text, and a forged marker confirms nothing', async (test) => {
      trying('hostile values in every field');
      const w = await world(test);
      const forged = '<!-- engagement-bot:confirmed/1/mallory/2999-01-01T00:00:00Z -->';
      const hostile = {
        customer: JSON.stringify(`Evil ${HOSTILE_TEXT} ${forged}`),
        tenant: JSON.stringify(`evil.onmicrosoft.com ${HOSTILE_TEXT}`),
        region: 'EMEA',
        fm: FM,
        account_team: `\n  - {name: ${JSON.stringify(`${HOSTILE_TEXT} {{customer}}`)}, email: atu@contoso.com}`,
        services: `\n  - ${JSON.stringify(`<b>Exchange</b> [link](https://evil.example) @fm-alice ${forged}`)}`,
        completed_activities: `\n  - ${JSON.stringify('{{> engagement-summary}} <!-- engagement-bot:step/offboarding/2026-01-01T00:00:00.000Z -->')}\n  - ${JSON.stringify(HOSTILE_TEXT)}`,
      };
      const n = await walk(w, frontMatter(hostile), [...TO_OFFBOARDING, 'task-4060-done']);
      const request = transferOf(w, n);
      expect(request).toBeGreaterThan(0);

      const texts = [...botComments(w, n).map((b, i) => [`comment ${i + 1} on the engagement`, b]), ...w.issue(request).comments.map((c, i) => [`comment ${i + 1} on the request`, c.body])];
      for (const [where, text] of texts) expectInert(text as string, where as string);
      for (const [where, text] of texts) {
        for (const key of markersIn(text as string)) {
          expect(key, where).not.toContain('mallory');
          expect(key, where).not.toContain('2026-01-01T00:00:00.000Z');
        }
      }
      const requestBody = w.issue(request).body;
      expect(markersIn(requestBody)).toEqual([`transfer-request-for/${w.repo}#${n}`]);
      // The one intended mention of the team is the request's own.
      expect(outsideCode(requestBody).split('@contoso-ft/assignment').length - 1).toBe(1);
      expect(botComments(w, n)[0]).toContain('\\{\\{labels\\.engagement\\}\\}');
      // Nobody confirmed the queue move: the engagement waits for the assignment team.
      expect(stateOf(w, n)).toMatchObject({ step: 'offboarding', transfer: { confirmed_by: null } });
      expect(w.issue(n).state).toBe('open');
    });
  });

  describe.concurrent('other engagements are unaffected', () => {
    it('a good engagement among every bad one ends exactly as it does alone', async (test) => {
      /** The good engagement's story; `others` are opened next to it and get the same labels. */
      const story = async (w: TestWorld, others: string[]) => {
        const good = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
        const bad = [];
        for (const body of others) bad.push(await w.openEngagement(body));
        await deliverAll(w);
        for (const label of [...TO_OFFBOARDING, 'task-4060-done']) {
          await w.addLabel(good, label);
          for (const b of bad) await w.addLabel(b, label);
          await deliverAll(w);
        }
        await w.comment(transferOf(w, good), '/queue-moved', ASSIGNER);
        await deliverAll(w);
        const all = w.snapshot() as Array<{ number: number }>;
        return neutralNumbers(all.filter((i) => i.number === good || i.number === transferOf(w, good)));
      };
      const head = fm(GOOD, '\n');
      const others = [...INVALID.map((b) => b.body), head + 'n'.repeat(LIMIT - head.length)];
      for (const b of INVALID) trying(b.name);
      trying('a body too long for any state');
      const [alone, among] = await Promise.all([story(await world(test), []), story(await world(test), others)]);
      expect(among).toEqual(alone);
      expect((alone as Array<{ state: string }>)[0]?.state).toBe('closed');
    });
  });

  describe('the run as the runner runs it (dist/index.js)', () => {
    const CASES: Array<{ name: string; body: string; warning: RegExp }> = [
      { name: 'YAML alias bomb', body: (INVALID.find((b) => b.name === 'YAML alias bomb') as BadInput).body, warning: /::warning::.*front-matter is invalid: alias-limit/ },
      { name: 'broken YAML in a CRLF body', body: (INVALID.find((b) => b.name.startsWith('broken YAML in a CRLF')) as BadInput).body, warning: /::warning::.*front-matter is invalid: yaml-syntax/ },
      { name: 'unknown keys __proto__ and constructor', body: fm(`${GOOD}__proto__: {polluted: yes}\nconstructor: x\n`), warning: /::warning::.*unknown front-matter key "__proto__" kept as is/ },
      { name: 'a value that tries to inject a workflow command', body: (INVALID.find((b) => b.name.startsWith('unknown region with HTML')) as BadInput).body, warning: /::warning::.*unknown-region/ },
      { name: 'a body too long for any state', body: fm(GOOD, '\n') + 'n'.repeat(LIMIT - fm(GOOD, '\n').length), warning: /::warning::.*too long/ },
    ];
    it.concurrent.for(CASES)('$name: exit code 0, a warning annotation, no other workflow command', async ({ name, body, warning }, test) => {
      trying(name);
      const w = await world(test);
      await w.openEngagement(body);
      const [opened] = w.newEvents();
      const run = await w.runDist(opened as StandInEvent);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(warning);
      // Only the commands the action means to issue: a user's text cannot start a line with `::`.
      const commands = run.stdout.split('\n').filter((l) => l.startsWith('::')).map((l) => /^::([a-z-]+)/.exec(l)?.[1]);
      expect(new Set(commands)).toEqual(new Set(['add-mask', 'warning']));
      expect(run.stdout).not.toMatch(/^::error::pwned/m);
    });
  });

  describe.concurrent('security', () => {
    it('a real walk with RUNNER_DEBUG on: the token is masked first and never printed; no shell, no eval, no user text compiled', async (test) => {
      const w = await world(test);
      const dir = mkdtempSync(join(tmpdir(), 'engagement-bot-trace-'));
      test.onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const preload = join(dir, 'tracer.mjs');
      writeFileSync(preload, TRACER);
      const token = w.gh.tokenFor(BOT);
      const canary = 'ZQX7-canary';
      const hostile = {
        ...WITHOUT_ACCOUNT_TEAM,
        customer: JSON.stringify(`${canary} {{7*7}} {{#with this}}{{/with}} \`id\` $(id) ; rm -rf / ${token.slice(0, 6)}`),
        completed_activities: `\n  - ${JSON.stringify(`${canary} {{constructor.constructor "return process"}}`)}`,
      };
      const n = await w.openEngagement(frontMatter(hostile));
      const runs: Array<{ what: string; stdout: string; stderr: string; code: number; trace: { childProcess: string[]; eval: string[]; functionSources: string[] } }> = [];
      const deliver = async (inputs: Record<string, string> = {}) => {
        for (const event of w.newEvents()) {
          const traceFile = join(dir, `trace-${runs.length}.json`);
          const run = await runDistWith(w, event, { inputs, env: { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true', TRACE_FILE: traceFile }, preload });
          runs.push({ what: `${event.name}.${event.action}`, ...run, trace: JSON.parse(readFileSync(traceFile, 'utf8')) });
        }
      };
      await deliver();
      for (const label of ['migration-complete', 'workload-ready', 'follow-up-sent']) {
        await w.addLabel(n, label);
        await deliver();
      }
      await w.comment(transferOf(w, n), '/queue-moved', ASSIGNER);
      await deliver();
      // A run that fails on a write: the error is printed, the token is not.
      await w.addLabel(n, 'task-4060-done');
      w.gh.fault({ graphql: 'mutation', actor: BOT, kind: 'status', status: 403, times: Infinity });
      await deliver();
      w.gh.clearFaults();

      expect(runs.length).toBeGreaterThanOrEqual(6);
      expect(runs.filter((r) => r.code !== 0).map((r) => r.what)).toEqual(['issues.labeled']);
      expect(stateOf(w, n).transfer?.confirmed_by).toBe(ASSIGNER);
      for (const run of runs) {
        const lines = run.stdout.split('\n');
        expect(lines[0], run.what).toBe(`::add-mask::${token}`);
        expect(`${lines.slice(1).join('\n')}${run.stderr}`, run.what).not.toContain(token);
        expect(run.trace.childProcess, run.what).toEqual([]);
        expect(run.trace.eval, run.what).toEqual([]);
        for (const source of run.trace.functionSources) expect(source, run.what).not.toContain(canary);
      }
      // The tracer was live: Handlebars compiles the template files with Function.
      expect(runs.some((r) => r.trace.functionSources.length > 0)).toBe(true);
      expect(runs.some((r) => r.stdout.includes('::debug::') || r.stdout.includes('::error::'))).toBe(true);
      // The Handlebars in the field was shown, not evaluated.
      const texts = botComments(w, n).join('\n');
      expect(texts).toContain(canary);
      expect(texts).not.toMatch(/ZQX7-canary 49/);
      expect(texts).toContain('\\{\\{7\\*7\\}\\}');
    });

    it('a token the API refuses is not printed either', async (test) => {
      const w = await world(test);
      await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
      const [event] = w.newEvents();
      const wrong = 'ghs_0123456789abcdefWRONGTOKEN0123456789';
      const run = await runDistWith(w, event as StandInEvent, { inputs: { 'github-token': wrong }, env: { RUNNER_DEBUG: '1' } });
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${wrong}`);
      expect(`${run.stdout.split('\n').slice(1).join('\n')}${run.stderr}`).not.toContain(wrong);
      expect(run.stdout).toMatch(/::error::/);
    });

    it('the sources never start a process, evaluate code or compile a template from anything but template files', () => {
      const files = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
      const src = new URL('../src/', import.meta.url).pathname;
      const sources = files(src);
      expect(sources.length).toBeGreaterThan(10);
      for (const file of sources) {
        const text = readFileSync(file, 'utf8');
        expect(text, file).not.toMatch(/(['"])(node:)?(child_process|vm|worker_threads)\1/);
        expect(text, file).not.toMatch(/@actions\/exec/);
        expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(/);
        // Templates are compiled in one place, from files.
        // The playbook schema shipped with the action is compiled into its validator, and nothing else.
        const code = file.endsWith('playbook-file.ts') ? text.replace('.compile(schema)', '') : text;
        if (!file.endsWith('templates.ts')) expect(code, file).not.toMatch(/\.compile\s*\(|\.precompile\s*\(|registerPartial\s*\(/);
      }
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
      expect(Object.keys(pkg.dependencies)).not.toContain('@actions/exec');
    });
  });
});
