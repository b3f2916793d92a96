// The engagement's body as people read it: GitHub renders an issue body as GFM, a line break within
// a paragraph shown as one. Rendered so (micromark with its GFM extension, soft line breaks turned
// into <br>), the front-matter must read cleanly: no heading of any level, no raw `{…}` flow map, no
// `null`, each of the bot's lines visible as a line of text, at most 40 lines for a completed
// engagement; and the FM's part of the body stays as the FM wrote it.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../src/files/playbook-catalog.js';
import type { EngagementRead as Observation } from '../src/process/engagement-read.js';
import type { BotState, HistoryEntry } from '../src/process/engagement.js';
import { BOT_BLOCK_COMMENT, asWritten, parseEngagement, renderBody, type ParsedEngagement } from '../src/process/frontmatter.js';
import { ASSIGNER, FM, attempt, humanComment, labelled, observation, settle } from './support/model.js';
import { STEPS } from './support/playbooks.js';

// ---------------------------------------------------------------------------------------------
// GFM as GitHub shows an issue body

const BLOCK = 'p|li|ul|ol|h[1-6]|hr|blockquote|pre|table|thead|tbody|tr|th|td|div|details|summary';
/** A newline micromark writes between blocks (after a block tag, or before one), not inside a paragraph. */
const STRUCTURAL = new RegExp(`(?<=<\\/?(?:${BLOCK})\\b[^>]*>)\\n|\\n(?=<\\/?(?:${BLOCK})\\b)`, 'g');

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&');
}

interface Read {
  /** The HTML GitHub would show, soft line breaks as `<br />`. */
  html: string;
  /** The lines a reader sees, list items marked `• `. */
  lines: string[];
}

/** Markdown rendered as GitHub renders an issue body. */
function asRead(markdown: string): Read {
  const rendered = micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
  // In issues a line break is a line break: every newline inside a paragraph or item is a <br />.
  const html = rendered
    .split(STRUCTURAL)
    .map((part) => part.replace(/\n/g, '<br />\n'))
    .join('\n');
  const text = html
    .replace(/<br \/>\n?/g, '\n')
    .replace(/<li>/g, '\n• ')
    .replace(new RegExp(`<\\/?(?:${BLOCK})\\b[^>]*>`, 'g'), '\n')
    .replace(/<[^>]+>/g, '');
  const lines = decode(text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return { html, lines };
}

/** The line a reader sees for a YAML line of the bot's. */
function seenAs(yamlLine: string): string {
  const line = yamlLine.trim();
  return line.startsWith('- ') ? `• ${line.slice(2)}` : line;
}

// ---------------------------------------------------------------------------------------------
// Reading a body

function parsedOk(body: string): ParsedEngagement {
  const result = parseEngagement(body, builtInCatalog());
  if (!result.ok) throw new Error(`expected the body to parse, got ${JSON.stringify(result.problems)}`);
  return result;
}

interface FrontMatter {
  /** From the opening `---` to the closing one, both included. */
  text: string;
  lines: string[];
  /** The bot's lines (its keys), as written. */
  botLines: string[];
}

function frontMatterOf(body: string): FrontMatter {
  const { source } = parsedOk(body);
  const closingLine = /^[^\n]*\n?/.exec(source.closingAndRest)?.[0] ?? '';
  const text = body.slice(0, body.length - source.closingAndRest.length) + closingLine;
  const botText = body.slice(source.opening.length + source.fmYaml.length, body.length - source.closingAndRest.length);
  return { text, lines: text.replace(/\n$/, '').split('\n'), botLines: botText.split('\n').filter((l) => l.trim() !== '') };
}

/** Everything the body must be when read on GitHub; `clean` when the FM's own part has no flow map. */
function expectReadsCleanly(body: string, options: { clean: boolean }): Read {
  const fm = frontMatterOf(body);
  const read = asRead(fm.text);
  // No heading of any level, from a `#` line or a setext underline.
  expect(read.html).not.toMatch(/<h[1-6]\b/);
  // The opening and the closing `---` are thematic breaks, and the front-matter ends with the closing one.
  expect(read.html.startsWith('<hr />\n')).toBe(true);
  expect(read.html.endsWith('<hr />\n')).toBe(true);
  expect(asRead(body).html.startsWith(read.html)).toBe(true);
  // The line above the closing fence cannot make it an underline: blank, or an item of a list.
  const aboveClosing = fm.lines.at(-2) ?? '';
  expect(aboveClosing === '' || /^ {0,3}- /.test(aboveClosing), aboveClosing).toBe(true);
  // The bot's lines, each a line of its own, together, in order, in no list but the history's.
  const expected = fm.botLines.map(seenAs);
  const first = read.lines.indexOf(expected[0] as string);
  expect(first, `${expected[0]} in ${JSON.stringify(read.lines)}`).toBeGreaterThan(-1);
  expect(read.lines.slice(first, first + expected.length)).toEqual(expected);
  expect(read.html).toContain(`<p>${fm.botLines[0]?.trim().replace(/"/g, '&quot;')}`);
  // What the bot shows: no flow map, no null.
  const botSeen = read.lines.slice(first).join('\n');
  expect(botSeen).not.toMatch(/[{}]/);
  expect(read.lines.join('\n')).not.toMatch(/\bnull\b/);
  if (options.clean) expect(read.lines.join('\n')).not.toMatch(/[{}]/);
  return read;
}

// ---------------------------------------------------------------------------------------------
// A walk through the migration playbook, with an undo

/** Every FM key, written as FMs write them; no flow mapping (a flow list is fine). */
const FM_YAML = `customer: Contoso Ltd
tenant: contoso.onmicrosoft.com
region: EMEA
fm: ${FM}
fm_name: Alice Martins
account_team:
  - ana.souza@contoso.com
  - atu@contoso.com
customer_contacts: [it-lead@contoso.com]
services: [Exchange Online, SharePoint Online]
completed_activities:
  - Mailbox migration
  - Teams enablement
locale: en
playbook: migration
`;
const REST = `---

## Notes

Free notes by the FM: *kick-off* on Monday.
---
The end.
`;
const OPENED = `---\n${FM_YAML}${REST}`;

const T0 = '2026-11-25T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** Adds or removes a label as the FM would and lets the bot answer. */
function act(o: Observation, change: { add?: string; remove?: string }, when: string): Observation {
  const labels = new Set(o.issue.labels);
  if (change.add) labels.add(change.add);
  if (change.remove) labels.delete(change.remove);
  const trigger = change.add ? labelled('labeled', change.add) : labelled('unlabeled', change.remove as string);
  return settle({ ...o, issue: { ...o.issue, labels: [...labels] }, trigger }, when).after;
}

interface Stop {
  what: string;
  o: Observation;
}

function walk(): Stop[] {
  const stops: Stop[] = [];
  let o = settle(observation({ body: OPENED }), T0).after;
  stops.push({ what: 'opened', o });
  const moves: Array<{ add?: string; remove?: string }> = [
    { add: 'migration-complete' },
    { add: 'account-team-notified' },
    { add: 'workload-ready' },
    { remove: 'workload-ready' }, // undo: back to the discussion
    { add: 'workload-ready' },
    { add: 'follow-up-sent' },
    { add: 'task-4060-done' },
  ];
  moves.forEach((move, i) => {
    o = act(o, move, at(i + 1));
    stops.push({ what: move.add ? `+${move.add}` : `-${move.remove}`, o });
  });
  const command = humanComment('/queue-moved', ASSIGNER, at(20));
  const request = o.transferRequest;
  if (!request) throw new Error('no transfer request was opened');
  o = settle(
    {
      ...o,
      transferRequest: { ...request, comments: [command] },
      confirmations: [attempt(command)],
      trigger: { kind: 'issue_comment', action: 'created', sender: ASSIGNER, commentId: command.id },
    },
    at(21),
  ).after;
  stops.push({ what: '/queue-moved', o });
  return stops;
}

const WALK = walk();

describe('the body as read on GitHub, at each step of a walk', () => {
  it('walks to completed, through an undo', () => {
    const steps = WALK.map(({ o }) => parsedOk(o.issue.body).bot?.step);
    expect(steps).toEqual([
      'awaiting-migration', 'preparation', 'discussion', 'follow-up', 'discussion', 'follow-up', 'offboarding', 'offboarding', 'completed',
    ]);
  });

  it.each(WALK.map((stop) => [stop.what, stop] as const))('after %s: no heading, no flow map, no null, each bot line seen', (_, { o }) => {
    const body = o.issue.body;
    const parsed = parsedOk(body);
    expect(parsed.botProblems).toEqual([]);
    const read = expectReadsCleanly(body, { clean: true });
    // Each bot key that is set has its line, seen as text.
    const written = asWritten(parsed.bot as BotState);
    for (const [key, value] of Object.entries(written)) {
      if (value === null || (Array.isArray(value) && value.length === 0)) continue;
      expect(read.lines.some((l) => l.startsWith(`${key}:`)), key).toBe(true);
    }
    for (const [key, value] of Object.entries(parsed.bot?.transfer ?? {})) {
      if (value !== null) expect(read.lines).toContain(`${key}: ${key === 'request' ? JSON.stringify(value) : value}`);
    }
    // One line per move, as the bot recorded it.
    for (const h of parsed.bot?.history ?? []) {
      const move = h.from === null ? h.to : `${h.from} → ${h.to}`;
      expect(read.lines).toContain(`• ${h.at} ${h.by}: ${move} (${h.via})`);
    }
    // The FM's part and everything after the front-matter are as the FM wrote them.
    expect(parsed.source.fmYaml).toBe(FM_YAML);
    expect(parsed.source.closingAndRest).toBe(REST);
    expect(body.startsWith(`---\n${FM_YAML}\n`)).toBe(true);
    expect(body.endsWith(REST)).toBe(true);
    expect(parsed.fields).toEqual(parsedOk(OPENED).fields);
    // Short: at most 40 lines, even completed with every FM key and the whole walk in its history.
    expect(frontMatterOf(body).lines.length).toBeLessThanOrEqual(40);
  });

  it('the completed engagement reads as a short list of plain lines', () => {
    const body = WALK.at(-1)?.o.issue.body ?? '';
    const fm = frontMatterOf(body);
    const bot = parsedOk(body).bot as BotState;
    expect(bot.history).toHaveLength(9);
    expect(fm.lines.length).toBeLessThanOrEqual(40);
    const read = asRead(fm.text);
    expect(read.lines.slice(read.lines.indexOf(`step: completed # kept by engagement-bot from here on; move the engagement with labels`))).toEqual([
      'step: completed # kept by engagement-bot from here on; move the engagement with labels',
      `step_since: ${at(21)}`,
      'workload_ready: true',
      'task_4060: done',
      `next_action_date: ${bot.next_action_date}`,
      'transfer:',
      `queue: ${bot.transfer?.queue}`,
      'request: "#2"',
      `requested_at: ${at(6)}`,
      `confirmed_by: ${ASSIGNER}`,
      `confirmed_at: ${at(20)}`,
      `completed_at: ${at(21)}`,
      'history:',
      `• ${T0} ${FM}: awaiting-migration (opened)`,
      `• ${at(1)} ${FM}: awaiting-migration → preparation (label:migration-complete)`,
      `• ${at(2)} ${FM}: preparation → discussion (label:account-team-notified)`,
      `• ${at(3)} ${FM}: discussion → follow-up (label:workload-ready)`,
      `• ${at(4)} ${FM}: follow-up → discussion (unlabeled:workload-ready)`,
      `• ${at(5)} ${FM}: discussion → follow-up (label:workload-ready)`,
      `• ${at(6)} ${FM}: follow-up → offboarding (label:follow-up-sent)`,
      `• ${at(7)} ${FM}: offboarding → offboarding (label:task-4060-done)`,
      `• ${at(21)} ${ASSIGNER}: offboarding → completed (comment:/queue-moved)`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The engagement of the screenshot (2026-12-06), written by the previous version

const SCREENSHOT_FM = `customer: Contoso Ltd
tenant: contoso.onmicrosoft.com
region: EMEA
fm: fm-alice
account_team:
  - {name: Ana Souza, email: ana@contoso.com}
  - atu@contoso.com
services: [Exchange Online, SharePoint Online]
completed_activities:
  - Mailbox migration
  - Teams enablement
`;
const SCREENSHOT_BOT = `${BOT_BLOCK_COMMENT}
step: completed
step_since: 2026-12-06T17:22:45.923Z
workload_ready: true
task_4060: done
next_action_date: 2027-12-31
transfer:
  queue: FTCQ Inactive – EMEA
  request: "#2"
  requested_at: 2026-12-06T17:22:45.591Z
  confirmed_by: assign-bob
  confirmed_at: 2026-12-06T17:22:45Z
history:
  - { at: 2026-12-06T17:22:45.079Z, by: fm-alice, from: null, to: awaiting-migration, via: opened }
  - { at: 2026-12-06T17:22:45.287Z, by: fm-alice, from: awaiting-migration, to: preparation, via: label:migration-complete }
  - { at: 2026-12-06T17:22:45.386Z, by: fm-alice, from: preparation, to: discussion, via: label:account-team-notified }
  - { at: 2026-12-06T17:22:45.485Z, by: fm-alice, from: discussion, to: follow-up, via: label:workload-ready }
  - { at: 2026-12-06T17:22:45.591Z, by: fm-alice, from: follow-up, to: offboarding, via: label:follow-up-sent }
  - { at: 2026-12-06T17:22:45.756Z, by: fm-alice, from: offboarding, to: offboarding, via: label:task-4060-done }
  - { at: 2026-12-06T17:22:45.923Z, by: assign-bob, from: offboarding, to: completed, via: comment:/queue-moved }
completed_at: 2026-12-06T17:22:45.923Z
`;
const SCREENSHOT_REST = '---\n\nFree notes by the FM.\n';
const SCREENSHOT = `---\n${SCREENSHOT_FM}${SCREENSHOT_BOT}${SCREENSHOT_REST}`;

describe('the body of the screenshot', () => {
  it('read on GitHub as the previous version wrote it: a heading, flow maps as bullets, null', () => {
    const read = asRead(frontMatterOf(SCREENSHOT).text);
    expect(read.html).toMatch(/<h1>engagement-bot: the keys below/);
    expect(read.lines).toContain('• { at: 2026-12-06T17:22:45.079Z, by: fm-alice, from: null, to: awaiting-migration, via: opened }');
    // ... and a front-matter ending on a plain line makes it a setext heading.
    expect(asRead('---\ncustomer: Contoso\nstep: completed\n---\n').html).toMatch(/<h2>customer: Contoso<br \/>\nstep: completed<\/h2>/);
  });

  it('is still read, and rewritten by the bot reads cleanly with the FM part unchanged', () => {
    const before = parsedOk(SCREENSHOT);
    expect(before.botProblems).toEqual([]);
    expect(before.source.fmYaml).toBe(SCREENSHOT_FM);
    const state = before.bot as BotState;
    expect(state.history).toHaveLength(7);
    expect(state.history[0]).toEqual({ at: '2026-12-06T17:22:45.079Z', by: 'fm-alice', from: null, to: 'awaiting-migration', via: 'opened' });
    const body = renderBody(before.source, state);
    const after = parsedOk(body);
    expect(after.bot).toEqual(state);
    expect(after.fields).toEqual(before.fields);
    expect(after.source.fmYaml).toBe(SCREENSHOT_FM);
    expect(body.startsWith(`---\n${SCREENSHOT_FM}\n`)).toBe(true);
    expect(body.endsWith(SCREENSHOT_REST)).toBe(true);
    // The FM's own flow map stays (it is the FM's), the bot's lines have none.
    const read = expectReadsCleanly(body, { clean: false });
    expect(read.lines).toContain('• {name: Ana Souza, email: ana@contoso.com}');
    expect(frontMatterOf(body).lines.length).toBeLessThanOrEqual(40);
  });
});

// ---------------------------------------------------------------------------------------------
// Any front-matter, any state

const STEP = fc.constantFrom(...STEPS);
const isoTime = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const login = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const historyEntry: fc.Arbitrary<HistoryEntry> = fc.record({
  at: isoTime,
  by: login,
  from: fc.option(STEP, { nil: null }),
  to: STEP,
  via: fc.constantFrom('opened', 'reopened', 'label:migration-complete', 'unlabeled:follow-up-sent', 'comment:/queue-moved', 'scan'),
});
const botState: fc.Arbitrary<BotState> = fc.record({
  step: STEP,
  step_since: isoTime,
  recorded: fc.record({ workload_ready: fc.constantFrom(true, false, null) }),
  tasks: fc.record({ task_4060: fc.constantFrom('pending' as const, 'done' as const) }),
  next_action_date: fc.option(isoTime.map((t) => t.slice(0, 10)), { nil: null }),
  transfer: fc.option(
    fc.record({
      queue: fc.constantFrom('FTCQ Inactive – EMEA', 'FTCQ Inactive - Americas', 'Fila FTCQ Inativa – APJ'),
      request: fc.option(fc.constantFrom('#12', 'acme/transfers#7'), { nil: null }),
      requested_at: fc.option(isoTime, { nil: null }),
      confirmed_by: fc.option(login, { nil: null }),
      confirmed_at: fc.option(isoTime, { nil: null }),
    }),
    { nil: null },
  ),
  stalled_since: fc.option(isoTime, { nil: null }),
  history: fc.array(historyEntry, { maxLength: 5 }),
  completed_at: fc.option(isoTime, { nil: null }),
});

/** FM lines that end the YAML in every way Markdown could take the next line in. */
const fmEnding = fc.constantFrom(
  ['services: [Exchange]'],
  ['services:', '  - Exchange', '  - Teams'],
  ['services:', '- Exchange'],
  ['account_team:', '  - name: Ana', '    email: ana@contoso.com'],
  ['notes: >', '  folded text'],
  ['notes: |', '  a literal', '  block'],
  ['services: [Exchange]', ''],
  ['services:', '  - Exchange', ''],
  ['notes: "> quoted"'],
  ['notes: 1. first'],
);

describe('any front-matter, any state', () => {
  it('the closing --- is never an underline, and the bot shows no heading, flow map or null', () => {
    fc.assert(
      fc.property(fmEnding, botState, fc.constantFrom('', ' '), fc.constantFrom('---', '...'), (ending, state, indent, closing) => {
        const fmLines = ['customer: Contoso', 'tenant: contoso.com', 'region: EMEA', `fm: ${FM}`, ...ending].map((l) => (l === '' ? l : indent + l));
        const source = parsedOk(`---\n${fmLines.join('\n')}\n${closing}\nrest\n`).source;
        const body = renderBody(source, state);
        expect(parsedOk(body).bot).toEqual(state);
        const read = asRead(frontMatterOf(body).text);
        expect(read.html).not.toMatch(/<h[1-6]\b/);
        if (closing === '---') expect(read.html.endsWith('<hr />\n')).toBe(true);
        const botLines = frontMatterOf(body).botLines.map(seenAs);
        const first = read.lines.indexOf(botLines[0] as string);
        expect(first).toBeGreaterThan(-1);
        expect(read.lines.slice(first, first + botLines.length)).toEqual(botLines);
        expect(read.lines.join('\n')).not.toMatch(/[{}]|\bnull\b/);
      }),
      { numRuns: 300 },
    );
  });
});
