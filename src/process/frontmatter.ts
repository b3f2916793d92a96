// Reads and rewrites the YAML front-matter at the top of an engagement issue body.
// The rewrite cuts only the bot-owned pairs out of the FM's YAML source and appends a freshly
// written bot block, so the FM's keys, their order, their comments and every byte after the
// closing `---` stay exactly as they were.
import { Document, LineCounter, Parser, isMap, isPair, isScalar, parseDocument, visit, type Pair, type YAMLMap } from 'yaml';
import {
  BOT_KEYS,
  FM_KEYS,
  REQUIRED_FM_KEYS,
  parseLocale,
  type Locale,
  type BotState,
  type Contact,
  type EngagementFields,
  type HistoryEntry,
  type Transfer,
} from './engagement.js';
import { recordKeys, taskKey, type Playbook, type PlaybookCatalog } from './playbook.js';

import { parseRegion } from './region.js';

/** GitHub refuses issue bodies longer than this. */
export const MAX_BODY_LENGTH = 65_536;
/** Aliases allowed in one front-matter; far above honest use, far below a "billion laughs". */
const MAX_ALIAS_COUNT = 50;
/** Deeper nesting than any engagement needs; refused before parsing. */
const MAX_NESTING = 64;
/** Problems reported at most (a broken file can produce thousands of follow-on errors). */
const MAX_PROBLEMS = 20;
/**
 * The note the bot writes after its first key (`step: discussion  # …`), in the engagement's
 * language. A trailing comment, never a line of its own: GitHub renders the body as Markdown, where
 * a line starting with `#` is a heading.
 */
export const BOT_NOTES: Record<Locale, string> = {
  en: '# kept by engagement-bot from here on; move the engagement with labels',
  'pt-BR': '# mantido pelo engagement-bot daqui em diante; avance o envolvimento com rótulos',
};
/** The comment line earlier versions wrote above the bot's keys; still recognised and removed. */
export const BOT_BLOCK_COMMENT = '# engagement-bot: the keys below are kept by the bot; move the engagement with labels';
/** The same line in each language of the messages; any of them is recognised as the bot's. */
export const BOT_BLOCK_COMMENTS: Record<Locale, string> = {
  en: BOT_BLOCK_COMMENT,
  'pt-BR': '# engagement-bot: as chaves abaixo são mantidas pelo bot; avance o envolvimento com rótulos',
};

/** A problem with the front-matter, as data: templates turn it into words. */
export type Problem =
  | { code: 'no-front-matter' }
  | { code: 'unclosed-front-matter' }
  | { code: 'yaml-syntax'; line: number; column: number; detail: string }
  | { code: 'too-deep'; limit: number }
  | { code: 'alias-limit' }
  | { code: 'not-a-mapping' }
  | { code: 'flow-mapping' }
  | { code: 'complex-key'; line: number; column: number }
  | { code: 'missing-key'; key: string; written?: string }
  | { code: 'wrong-type'; key: string; expected: 'text' | 'list' | 'text-list' | 'contact'; got: ValueKind; line: number; column: number }
  | { code: 'empty-value'; key: string; line: number; column: number }
  | { code: 'unknown-region'; key: string; value: string; line: number; column: number }
  | { code: 'invalid-login'; key: string; value: string; line: number; column: number }
  | { code: 'invalid-email'; key: string; value: string; line: number; column: number }
  | { code: 'unknown-locale'; key: string; value: string; line: number; column: number }
  | { code: 'unknown-playbook'; key: string; value: string; known: string[]; line: number; column: number }
  | { code: 'invalid-bot-key'; key: string; line: number; column: number }
  | { code: 'body-too-long'; length: number; limit: number };

export interface UnknownKey {
  key: string;
  suggestion: string | null;
}

export interface ParsedEngagement {
  ok: true;
  fields: EngagementFields;
  /** The playbook the engagement runs: the one its bot keys were written for, once under way. */
  playbook: Playbook;
  /** The playbook the front-matter (or the input) asks for; differs from `playbook` when changed mid-way. */
  requested: Playbook;
  /** Bot-owned state, or null when the bot has not written any yet. */
  bot: BotState | null;
  /** Bot-owned keys whose value the bot cannot read (hand edits); the rest of `bot` is still read. */
  botProblems: Problem[];
  unknownKeys: UnknownKey[];
  /** The source the rewrite keeps: everything but the bot-owned pairs. */
  source: FrontMatterSource;
}

export interface FrontMatterSource {
  opening: string;
  /** The FM's YAML with the bot-owned pairs and the bot's comment line cut out. */
  fmYaml: string;
  /** The closing `---` line and everything after it, untouched. */
  closingAndRest: string;
  eol: '\n' | '\r\n';
  /** Indentation of the FM's top-level keys (YAML allows an indented root mapping); the bot block gets the same. */
  indent?: string;
}

export type ParseResult = ParsedEngagement | { ok: false; problems: Problem[] };

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const EMAIL = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Fences {
  opening: string;
  yaml: string;
  /** Line number (1-based, in the body) of the first YAML line. */
  firstLine: number;
  closingAndRest: string;
  eol: '\n' | '\r\n';
}

function splitFences(body: string): Fences | Problem {
  const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
  const bom = body.length - text.length;
  const firstEnd = text.indexOf('\n');
  const firstLine = firstEnd === -1 ? text : text.slice(0, firstEnd);
  if (!/^---[ \t]*\r?$/.test(firstLine)) return { code: 'no-front-matter' };
  const eol = firstLine.endsWith('\r') ? '\r\n' : '\n';
  const start = firstEnd + 1;
  const closing = /^(?:---|\.\.\.)[ \t]*\r?$/m;
  const afterOpening = text.slice(start);
  const match = closing.exec(afterOpening);
  if (firstEnd === -1 || !match) return { code: 'unclosed-front-matter' };
  return {
    opening: body.slice(0, bom + start),
    yaml: afterOpening.slice(0, match.index),
    firstLine: 2,
    closingAndRest: afterOpening.slice(match.index),
    eol,
  };
}

/** The deepest nesting of flow collections ([ and {) or block indentation, roughly. */
function nestingDepth(yaml: string): number {
  let deepest = 0;
  let flow = 0;
  for (const char of yaml) {
    if (char === '[' || char === '{') deepest = Math.max(deepest, ++flow);
    else if ((char === ']' || char === '}') && flow > 0) flow--;
    else if (char === '\n') flow = flow > 0 ? flow : 0;
  }
  for (const line of yaml.split('\n')) {
    const indent = /^[ -]*/.exec(line)?.[0].length ?? 0;
    deepest = Math.max(deepest, Math.floor(indent / 2));
  }
  return deepest;
}

/** Line and column (1-based, counted in the issue body) of an offset in the YAML text. */
function position(yaml: string, offset: number, firstLine: number): { line: number; column: number } {
  const { line, col } = lineCounterOf(yaml).linePos(offset);
  return { line: firstLine + line - 1, column: col };
}

let counted: { yaml: string; lines: LineCounter } | null = null;

/** yaml's own LineCounter for a text, filled by its lexer; kept for the body being parsed. */
function lineCounterOf(yaml: string): LineCounter {
  if (counted?.yaml !== yaml) {
    const lines = new LineCounter();
    for (const token of new Parser(lines.addNewLine).parse(yaml)) void token;
    counted = { yaml, lines };
  }
  return counted.lines;
}

/** What a YAML value is, as a code; templates say it in words. */
export type ValueKind = 'nothing' | 'number' | 'boolean' | 'text' | 'mapping' | 'list' | 'other';

function describe(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'text';
  if (value instanceof Map) return 'mapping';
  if (Array.isArray(value)) return 'list';
  return 'other';
}

/**
 * Parses and validates an engagement body against the playbooks known to this run (by default
 * the built-in ones, `migration` first). Never throws, whatever the body.
 */
export function parseEngagement(body: string, catalog: PlaybookCatalog): ParseResult {
  try {
    return parseUnsafe(body, catalog);
  } catch (error) {
    // The yaml library may still throw on input nobody foresaw; that is the FM's YAML, not a crash.
    return { ok: false, problems: [{ code: 'yaml-syntax', line: 2, column: 1, detail: String((error as Error).message).split('\n')[0] ?? '' }] };
  }
}

/** The bot's state by front-matter key, as it is written (`workload_ready`, `task_4060`, ...). */
export type WrittenState = Omit<BotState, 'recorded' | 'tasks'> & Record<string, unknown>;
export function asWritten(state: BotState): WrittenState {
  const { recorded, tasks, ...rest } = state;
  return { ...rest, ...recorded, ...tasks };
}

/** The keys the bot owns in an engagement run by `playbook`. */
export function botKeysOf(playbook: Playbook): string[] {
  return ['step', 'step_since', ...recordKeys(playbook), taskKey(playbook), ...BOT_KEYS.slice(2)];
}

/**
 * The playbook an engagement runs: the requested one, unless the bot keys were written for
 * another known playbook (its task key is there and it has every step recorded), which then stays.
 */
function runningPlaybook(requested: Playbook, pairs: Map<string, Pair>, read: (key: string) => unknown, catalog: PlaybookCatalog): Playbook {
  if (!pairs.has('step')) return requested;
  const recorded = [read('step'), ...historyItems(read('history')).map((h) => h?.to)].filter((s) => typeof s === 'string');
  const fits = (p: Playbook) => pairs.has(taskKey(p)) && recorded.every((s) => p.steps.some((step) => step.key === s));
  return [requested, ...catalog.all].find(fits) ?? requested;
}

type Loaded = { root: YAMLMap; plain: Map<unknown, unknown> } | { problems: Problem[] };

/** The YAML between the fences as a document: its root mapping and its values as plain data. */
function loadYaml(yaml: string, firstLine: number): Loaded {
  // Nesting far beyond any engagement would only exhaust the parser's stack, at an unstable place.
  if (nestingDepth(yaml) > MAX_NESTING) return { problems: [{ code: 'too-deep', limit: MAX_NESTING }] };
  const doc = parseDocument(yaml, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.slice(0, MAX_PROBLEMS).map((e) => ({ code: 'yaml-syntax', ...position(yaml, e.pos[0], firstLine), detail: e.message.split('\n')[0] ?? e.code })),
    };
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { problems: REQUIRED_FM_KEYS.map((key) => ({ code: 'missing-key', key })) };
  if (!isMap(root)) return { problems: [{ code: 'not-a-mapping' }] };
  if (root.flow) return { problems: [{ code: 'flow-mapping' }] };
  try {
    // Maps, not objects: keys such as __proto__ stay plain data.
    return { root: root as YAMLMap, plain: doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT }) as Map<unknown, unknown> };
  } catch (error) {
    const message = String((error as Error).message);
    if (/excessive alias count/i.test(message)) return { problems: [{ code: 'alias-limit' }] };
    // An alias to an anchor that does not exist, or another conversion error: a syntax problem.
    return { problems: [{ code: 'yaml-syntax', line: firstLine, column: 1, detail: message.split('\n')[0] ?? message }] };
  }
}

/** The root mapping's pairs by key; a key that is not plain text is a problem. */
function pairsOf(root: YAMLMap, yaml: string, firstLine: number, problems: Problem[]): Map<string, Pair> {
  const pairs = new Map<string, Pair>();
  for (const item of root.items) {
    if (!isPair(item) || !isScalar(item.key) || typeof item.key.value !== 'string') {
      const offset = isPair(item) && item.key && typeof item.key === 'object' && 'range' in item.key ? ((item.key.range as number[])[0] ?? 0) : 0;
      problems.push({ code: 'complex-key', ...position(yaml, offset, firstLine) });
      continue;
    }
    pairs.set(item.key.value, item);
  }
  return pairs;
}

/** The problems to report: a misspelling named next to the key it misses, each once, a bounded list. */
function reported(problems: Problem[], unknownKeys: UnknownKey[]): Problem[] {
  for (const problem of problems) {
    if (problem.code !== 'missing-key') continue;
    const typo = unknownKeys.find((u) => u.suggestion === problem.key);
    if (typo) problem.written = typo.key;
  }
  const seen = new Set<string>();
  const distinct = problems.filter((p) => {
    const id = JSON.stringify({ ...p, value: undefined });
    return seen.has(id) ? false : (seen.add(id), true);
  });
  return distinct.slice(0, MAX_PROBLEMS);
}

function parseUnsafe(body: string, catalog: PlaybookCatalog): ParseResult {
  const fences = splitFences(body);
  if ('code' in fences) return { ok: false, problems: [fences] };
  const { yaml, firstLine } = fences;
  const loaded = loadYaml(yaml, firstLine);
  if ('problems' in loaded) return { ok: false, problems: loaded.problems };
  const problems: Problem[] = [];
  const pairs = pairsOf(loaded.root, yaml, firstLine, problems);
  const at = (key: string) => {
    const pair = pairs.get(key);
    const node = (pair?.value ?? pair?.key) as { range?: [number, number, number] } | null | undefined;
    return position(yaml, node?.range?.[0] ?? 0, firstLine);
  };
  const read = (key: string) => loaded.plain.get(key);

  const fields = readFields(read, at, problems);
  const requested = fields ? choosePlaybook(fields, catalog, at, problems) : catalog.default;
  const playbook = runningPlaybook(requested, pairs, read, catalog);
  const botKeys = botKeysOf(playbook);
  const botProblems: Problem[] = [];
  const bot = readBotState(read, at, botProblems, pairs, playbook);
  const unknownKeys: UnknownKey[] = [...pairs.keys()].filter((key) => !(FM_KEYS as readonly string[]).includes(key) && !botKeys.includes(key)).map((key) => ({ key, suggestion: closestKey(key) }));
  if (problems.length > 0 || !fields) return { ok: false, problems: reported(problems, unknownKeys) };
  const source = {
    opening: fences.opening,
    fmYaml: cutBotPairs(yaml, loaded.root, botKeys),
    closingAndRest: fences.closingAndRest,
    eol: fences.eol,
    indent: rootIndent(yaml, loaded.root),
  };
  return { ok: true, fields, playbook, requested, bot, botProblems, unknownKeys, source };
}

type Reader = (key: string) => unknown;
type Locator = (key: string) => { line: number; column: number };

function readText(key: string, read: Reader, at: Locator, problems: Problem[], required: boolean): string | null {
  const value = read(key);
  if (value === undefined) {
    if (required) problems.push({ code: 'missing-key', key });
    return null;
  }
  if (value === null) {
    // `customer:` with nothing after it: the key is there, its value is empty.
    if (required) problems.push({ code: 'empty-value', key, ...at(key) });
    return null;
  }
  if (typeof value !== 'string') {
    problems.push({ code: 'wrong-type', key, expected: 'text', got: describe(value), ...at(key) });
    return null;
  }
  if (value.trim() === '') {
    if (required) problems.push({ code: 'empty-value', key, ...at(key) });
    return null;
  }
  return value.trim();
}

function readTextList(key: string, read: Reader, at: Locator, problems: Problem[]): string[] {
  const value = read(key);
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (!Array.isArray(value)) {
    problems.push({ code: 'wrong-type', key, expected: 'list', got: describe(value), ...at(key) });
    return [];
  }
  const items: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') {
      problems.push({ code: 'wrong-type', key, expected: 'text-list', got: describe(item), ...at(key) });
      return [];
    }
    if (item.trim() !== '') items.push(item.trim());
  }
  return items;
}

function readFields(read: Reader, at: Locator, problems: Problem[]): EngagementFields | null {
  const customer = readText('customer', read, at, problems, true);
  const tenant = readText('tenant', read, at, problems, true);
  const regionText = readText('region', read, at, problems, true);
  const region = regionText === null ? null : parseRegion(regionText);
  if (regionText !== null && region === null) {
    problems.push({ code: 'unknown-region', key: 'region', value: regionText, ...at('region') });
  }
  const fmText = readText('fm', read, at, problems, true);
  const fm = fmText?.replace(/^@/, '') ?? null;
  if (fm !== null && !LOGIN.test(fm)) problems.push({ code: 'invalid-login', key: 'fm', value: fmText ?? '', ...at('fm') });

  const accountTeam = readContacts('account_team', read, at, problems);
  const customerContacts = readContacts('customer_contacts', read, at, problems);
  const fmName = readText('fm_name', read, at, problems, false);
  const services = readTextList('services', read, at, problems);
  const completedActivities = readTextList('completed_activities', read, at, problems);
  const localeText = readText('locale', read, at, problems, false);
  const locale = localeText === null ? null : parseLocale(localeText);
  if (localeText !== null && locale === null) {
    problems.push({ code: 'unknown-locale', key: 'locale', value: localeText, ...at('locale') });
  }
  const playbook = readText('playbook', read, at, problems, false);
  if (customer === null || tenant === null || region === null || fm === null || !LOGIN.test(fm)) return null;
  return { customer, tenant, region, fm, fmName, accountTeam, customerContacts, services, completedActivities, locale, playbook };
}

/** The playbook the front-matter names, or the configured one; an unknown name is a problem. */
function choosePlaybook(fields: EngagementFields, catalog: PlaybookCatalog, at: Locator, problems: Problem[]): Playbook {
  if (fields.playbook === null) return catalog.default;
  const found = catalog.all.find((p) => p.name.toLowerCase() === fields.playbook?.toLowerCase());
  if (!found) problems.push({ code: 'unknown-playbook', key: 'playbook', value: fields.playbook, known: catalog.all.map((p) => p.name), ...at('playbook') });
  return found ?? catalog.default;
}

function readContacts(key: 'account_team' | 'customer_contacts', read: Reader, at: Locator, problems: Problem[]): Contact[] {
  const value = read(key);
  if (value === undefined || value === null || value === '') return [];
  const list = typeof value === 'string' ? value.split(/[,;]/) : value;
  if (!Array.isArray(list)) {
    problems.push({ code: 'wrong-type', key, expected: 'list', got: describe(value), ...at(key) });
    return [];
  }
  const contacts: Contact[] = [];
  for (const item of list) {
    let name: string | null = null;
    let email: unknown = item;
    if (item instanceof Map) {
      const n = item.get('name');
      name = typeof n === 'string' && n.trim() !== '' ? n.trim() : null;
      email = item.get('email');
    }
    if (typeof email !== 'string') {
      problems.push({ code: 'wrong-type', key, expected: 'contact', got: describe(email), ...at(key) });
      continue;
    }
    const trimmed = email.trim();
    if (trimmed === '') continue;
    if (!EMAIL.test(trimmed)) {
      problems.push({ code: 'invalid-email', key, value: trimmed, ...at(key) });
      continue;
    }
    contacts.push({ name, email: trimmed });
  }
  return contacts;
}

function readBotState(read: Reader, at: Locator, problems: Problem[], pairs: Map<string, Pair>, playbook: Playbook): BotState | null {
  if (!botKeysOf(playbook).some((key) => pairs.has(key))) return null;
  const bad = (key: string) => problems.push({ code: 'invalid-bot-key', key, ...at(key) });
  const isoOrNull = (key: string): string | null => {
    const v = read(key);
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' && ISO_TIME.test(v)) return v;
    bad(key);
    return null;
  };
  const steps = playbook.steps.map((s) => s.key);
  const stepValue = read('step');
  let step = steps[0] as string;
  if (typeof stepValue === 'string' && steps.includes(stepValue)) step = stepValue;
  else bad('step');

  const stepSince = isoOrNull('step_since');
  if (stepSince === null && !problems.some((p) => 'key' in p && p.key === 'step_since')) bad('step_since');

  const recorded: Record<string, boolean | null> = {};
  for (const key of recordKeys(playbook)) {
    const v = read(key);
    recorded[key] = typeof v === 'boolean' ? v : null;
    if (v !== undefined && v !== null && typeof v !== 'boolean') bad(key);
  }
  const tasks: Record<string, 'pending' | 'done'> = {};
  const task = read(taskKey(playbook));
  tasks[taskKey(playbook)] = task === 'done' ? 'done' : 'pending';
  if (task !== undefined && task !== null && task !== 'done' && task !== 'pending') bad(taskKey(playbook));

  const nad = read('next_action_date');
  let nextAction: string | null = null;
  if (typeof nad === 'string' && ISO_DATE.test(nad)) nextAction = nad;
  else if (nad !== undefined && nad !== null) bad('next_action_date');

  return {
    step,
    step_since: stepSince ?? new Date(0).toISOString().replace('.000', ''),
    recorded,
    tasks,
    next_action_date: nextAction,
    transfer: readTransfer(read('transfer'), () => bad('transfer')),
    stalled_since: isoOrNull('stalled_since'),
    history: readHistory(read('history'), () => bad('history'), steps),
    completed_at: isoOrNull('completed_at'),
  };
}

function readTransfer(value: unknown, bad: () => void): Transfer | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Map)) {
    bad();
    return null;
  }
  const text = (key: string): string | null => {
    const v = value.get(key);
    return typeof v === 'string' && v.trim() !== '' ? v : null;
  };
  const queue = text('queue');
  if (queue === null) {
    bad();
    return null;
  }
  const time = (key: string): string | null => {
    const v = text(key);
    if (v !== null && !ISO_TIME.test(v)) bad();
    return v !== null && ISO_TIME.test(v) ? v : null;
  };
  return {
    queue,
    request: text('request'),
    requested_at: time('requested_at'),
    confirmed_by: text('confirmed_by'),
    confirmed_at: time('confirmed_at'),
  };
}

/** A history entry as written, its steps not yet checked against the playbook. */
interface WrittenEntry {
  at: unknown;
  by: unknown;
  from: unknown;
  to: unknown;
  via: unknown;
}

// The body's history is one move a line, a list item that GitHub shows as plain text:
//   - 2026-11-25T10:00:00Z fm-alice: preparation → discussion (label:account-team-notified)
// In YAML each item is a mapping of one pair, `<at> <by>` to `[<from> → ]<to> (<via>)`: the
// timestamp has no space, a step no space either, and the via runs to the last `)`, so any login
// or via reads back (the yaml library quotes what needs quoting). An entry without a `from` (the
// engagement was opened) leaves the arrow out, so no `null` is shown. Earlier versions wrote
// `{at, by, from, to, via}` flow mappings, which GitHub shows raw; those are still read.

const ARROW = '→';
const MOVE = new RegExp(`^(\\S+) ${ARROW} (\\S+) \\(([\\s\\S]*)\\)$`);
const ENTRY = /^(\S+) \(([\s\S]*)\)$/;

function historyItem(h: HistoryEntry): Map<string, string> {
  const move = h.from === null ? h.to : `${h.from} ${ARROW} ${h.to}`;
  return new Map([[`${h.at} ${h.by}`, `${move} (${h.via})`]]);
}

/** The entry one history item holds, in either format; null when it is neither. */
function readHistoryItem(item: unknown): WrittenEntry | null {
  if (!(item instanceof Map)) return null;
  if (item.has('at')) return { at: item.get('at'), by: item.get('by'), from: item.get('from'), to: item.get('to'), via: item.get('via') };
  const [pair, ...more] = [...item.entries()] as Array<[unknown, unknown]>;
  if (pair === undefined || more.length > 0) return null;
  const [key, value] = pair;
  if (typeof key !== 'string' || typeof value !== 'string') return null;
  const space = key.indexOf(' ');
  if (space === -1) return null;
  const move = MOVE.exec(value);
  const entry = move ? null : ENTRY.exec(value);
  if (!move && !entry) return null;
  return {
    at: key.slice(0, space),
    by: key.slice(space + 1),
    from: move ? move[1] : null,
    to: move ? move[2] : entry?.[1],
    via: move ? move[3] : entry?.[2],
  };
}

/** The entries of a `history` value; null for one that cannot be read, [null] when the value is not a list. */
function historyItems(value: unknown): Array<WrittenEntry | null> {
  return Array.isArray(value) ? value.map(readHistoryItem) : [null];
}

function readHistory(value: unknown, bad: () => void, steps: string[]): HistoryEntry[] {
  if (value === undefined || value === null) return [];
  const entries: HistoryEntry[] = [];
  for (const item of historyItems(value)) {
    if (item === null) {
      bad();
      return [];
    }
    const { at, to, from } = item;
    if (typeof at !== 'string' || !ISO_TIME.test(at) || typeof to !== 'string' || !steps.includes(to)) {
      bad();
      return [];
    }
    entries.push({
      at,
      by: String(item.by ?? ''),
      from: typeof from === 'string' && steps.includes(from) ? from : null,
      to,
      via: String(item.via ?? ''),
    });
  }
  return entries;
}

/** The spaces before the root mapping's first key on its line ('' unless the FM indented its keys). */
function rootIndent(yaml: string, root: YAMLMap): string {
  const first = root.items[0];
  const offset = isPair(first) && isScalar(first.key) ? first.key.range?.[0] : undefined;
  if (offset === undefined) return '';
  const lineStart = yaml.lastIndexOf('\n', offset - 1) + 1;
  return /^ */.exec(yaml.slice(lineStart, offset))?.[0] ?? '';
}

/** The end of the whitespace-only line starting at `offset`, or null when that line has text (or there is none). */
function blankLineEnd(yaml: string, offset: number): number | null {
  const nl = yaml.indexOf('\n', offset);
  return nl !== -1 && /^[ \t]*\r?$/.test(yaml.slice(offset, nl)) ? nl + 1 : null;
}

/**
 * The FM's YAML source without the bot-owned pairs, without the comment line earlier versions
 * wrote above them, and without the blank lines the bot writes around them (one before, one
 * after, when they end the front-matter).
 */
function cutBotPairs(yaml: string, root: YAMLMap, botKeys: string[]): string {
  const cuts: Array<[number, number]> = [];
  for (const item of root.items) {
    if (!isPair(item) || !isScalar(item.key) || !botKeys.includes(String(item.key.value))) continue;
    const keyRange = item.key.range;
    if (!keyRange) continue;
    const value = item.value as { range?: [number, number, number] } | null;
    const start = yaml.lastIndexOf('\n', keyRange[0] - 1) + 1;
    // range[1], not range[2]: a value's node end can run over the comment lines after it, which
    // belong to the FM (a null value swallows the next column-0 comment, a block list the ones
    // after an indented comment).
    let end = value?.range ? value.range[1] : keyRange[2];
    // A pair ends at the end of its last line; a value's range may stop before the newline.
    if (end > 0 && yaml[end - 1] !== '\n') {
      const nl = yaml.indexOf('\n', end);
      end = nl === -1 ? yaml.length : nl + 1;
    }
    // ... and at its last line with text: a block scalar's range runs over the blank lines after it.
    for (;;) {
      const lineStart = yaml.lastIndexOf('\n', end - 2) + 1;
      if (lineStart <= start || blankLineEnd(yaml, lineStart) !== end) break;
      end = lineStart;
    }
    cuts.push([start, end]);
  }
  const kept: Array<[number, number]> = [];
  for (const cut of cuts.sort((a, b) => a[0] - b[0])) {
    const last = kept.at(-1);
    if (last === undefined || cut[0] >= last[1]) kept.push([cut[0], cut[1]]);
  }
  const last = kept.at(-1);
  if (last !== undefined) {
    // The blank lines the bot writes around its keys, when they end the front-matter as it writes them.
    const trailer = blankLineEnd(yaml, last[1]);
    if (last[1] === yaml.length || trailer === yaml.length) {
      if (trailer !== null) last[1] = trailer;
      let run = kept.length - 1;
      while (run > 0 && kept[run - 1]?.[1] === kept[run]?.[0]) run--;
      const first = kept[run] as [number, number];
      const lineStart = yaml.lastIndexOf('\n', first[0] - 2) + 1;
      if (first[0] > 0 && blankLineEnd(yaml, lineStart) === first[0]) first[0] = lineStart;
    }
  }
  let text = '';
  let from = 0;
  for (const [start, end] of kept) {
    text += yaml.slice(from, start);
    from = end;
  }
  text += yaml.slice(from);
  return text
    .split(/(?<=\n)/)
    .filter((line) => !Object.values(BOT_BLOCK_COMMENTS).includes(line.trim()))
    .join('');
}

/**
 * Characters a value is double-quoted for: line breaks and other controls, separators, a BOM,
 * non-characters, lone surrogates. Those JSON leaves as they are are then written escaped.
 */
const UNSAFE = /[\p{Cc}\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/**
 * The bot-owned keys as YAML, in their fixed order; unset keys are left out. Written to read as
 * plain lines where GitHub renders the body as Markdown: one key a line, `transfer`'s keys on
 * lines of their own, the history last, one move a line (see `historyItem`); no flow mapping, no
 * `null`, no line starting with `#`. The note saying whose keys these are trails the first line.
 */
export function renderBotBlock(state: BotState, locale: Locale = 'en'): string {
  const ordered: Record<string, unknown> = { step: state.step, step_since: state.step_since };
  for (const [key, value] of Object.entries(state.recorded)) if (value !== null) ordered[key] = value;
  Object.assign(ordered, state.tasks);
  if (state.next_action_date !== null) ordered.next_action_date = state.next_action_date;
  if (state.transfer !== null) {
    const t: Record<string, string> = { queue: state.transfer.queue };
    for (const key of ['request', 'requested_at', 'confirmed_by', 'confirmed_at'] as const) {
      const v = state.transfer[key];
      if (v !== null) t[key] = v;
    }
    ordered.transfer = t;
  }
  if (state.stalled_since !== null) ordered.stalled_since = state.stalled_since;
  if (state.completed_at !== null) ordered.completed_at = state.completed_at;
  if (state.history.length > 0) ordered.history = state.history.map(historyItem);
  const document = new Document(ordered);
  const step = document.get('step', true);
  if (isScalar(step)) step.comment = ` ${BOT_NOTES[locale].replace(/^# ?/, '')}`;
  // Every value on one line: a line break or a control character is written escaped.
  visit(document, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && UNSAFE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // JSON's double quotes keep a string on one line (`\n`); what JSON leaves raw is escaped too, and
  // only a double-quoted string can hold it.
  return document.toString({ lineWidth: 0, doubleQuotedAsJSON: true }).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The whole body with `state` written into the front-matter; the FM's part is kept byte for byte.
 * The bot's keys come last, after a blank line (valid in YAML) that ends whatever Markdown the
 * FM's last lines make (a list would take the next line in). They end with the history's list,
 * which the closing `---` cannot underline into a heading; with no history, or a list indented
 * too far to be one, a blank line before the closing `---` does that.
 */
export function renderBody(source: FrontMatterSource, state: BotState, locale: Locale = 'en'): string {
  let fmYaml = source.fmYaml;
  if (fmYaml !== '' && !fmYaml.endsWith('\n')) fmYaml += source.eol;
  const indent = source.indent ?? '';
  const endsInList = state.history.length > 0 && indent.length + 2 <= 3;
  const block = `\n${renderBotBlock(state, locale)}${endsInList ? '' : '\n'}`
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join(source.eol);
  return source.opening + fmYaml + block + source.closingAndRest;
}

/**
 * The body for `state`, trimming the oldest history entries when it would exceed GitHub's limit.
 * Null when it cannot fit even without history (the FM's part alone is too long).
 */
export function renderBodyWithinLimit(source: FrontMatterSource, state: BotState, locale: Locale = 'en'): string | null {
  const render = (keep: number) => renderBody(source, { ...state, history: state.history.slice(state.history.length - keep) }, locale);
  const full = render(state.history.length);
  if (full.length <= MAX_BODY_LENGTH) return full;
  if (render(0).length > MAX_BODY_LENGTH) return null;
  // Binary search for the most newest entries that fit: drop only as many of the oldest as needed.
  let fits = 0;
  let tooMany = state.history.length;
  while (tooMany - fits > 1) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (render(mid).length <= MAX_BODY_LENGTH) fits = mid;
    else tooMany = mid;
  }
  return render(fits);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length] ?? 0;
}

function closestKey(key: string): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const known of FM_KEYS) {
    const d = editDistance(key.toLowerCase(), known);
    // A suggestion must keep most of the word: "x" is not a misspelling of "fm".
    if (d < bestDistance && d < Math.max(known.length, key.length) / 2) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}
