// Reads a playbook file and checks it before anything else runs: first against the JSON Schema
// shipped with the action (playbooks/playbook.schema.json), then the rules a schema cannot say
// (every gate label declared, one handoff step, ...). A bad file stops the run with the file, the
// path in it and the line, before any API call.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { actionRoot } from './action-root.js';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';
import { BOT_KEYS, FM_KEYS, type Locale } from '../process/engagement.js';
import type { Localized, Playbook, StepSpec } from '../process/playbook.js';
import { REGIONS, type Region } from '../process/region.js';
import { ENGINE_LABELS } from '../process/labels.js';

/** Beside `src/` in the repository and beside `dist/` in the action; built from parts so the bundler leaves it there. */
export const BUILT_IN_PLAYBOOKS_DIR = join(actionRoot(), 'playbooks');
export const BUILT_IN_PLAYBOOKS = ['migration', 'enablement'] as const;
export const DEFAULT_PLAYBOOK = 'migration';

export class PlaybookError extends Error {
  override name = 'PlaybookError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`playbook ${file} is not valid:\n- ${problems.join('\n- ')}`);
  }
}

/** Front-matter keys a playbook cannot take for the values its alternatives record. */
const RESERVED_KEYS: string[] = [...FM_KEYS, ...BOT_KEYS];

/** The raw shape the schema guarantees (keys as written in the file). */
interface RawStep {
  key: string;
  name: Record<Locale, string>;
  gate?: { labels: string[]; records?: { key: string; values: Record<string, boolean> } };
  'skip-when-empty'?: StepSpec['skipWhenEmpty'];
  message: string;
  emails?: Array<{ value: string; template: string; to?: 'account_team' | 'customer_contacts' }>;
  handoff?: boolean;
  stall?: boolean | number;
}
interface RawPlaybook {
  playbook: string;
  title: Record<Locale, string>;
  phase?: Record<Locale, string>;
  milestone: Record<Locale, string>;
  'services-label'?: Record<Locale, string>;
  'key-inputs'?: Record<Locale, string[]>;
  'key-outputs'?: Record<Locale, string[]>;
  labels: Record<string, { color: string; description: string }>;
  steps: RawStep[];
  task: { id: number; label: string; name: Record<Locale, string>; 'ftop-name'?: Record<Locale, string> };
  computed?: { next_action_date?: { rule: 'end-of-next-year'; 'from-step': string } };
  handoff: { command: string; queues: Record<Region, string | Record<Locale, string>>; aliases?: Partial<Record<Region, string[]>>; 'fm-keeps-assignment'?: boolean };
  completion: { 'task-done': true; 'handoff-confirmed': true };
  'stall-days'?: { default?: number; handoff?: number };
  'next-steps'?: Record<Locale, string[]>;
}

let validator: ReturnType<Ajv['compile']> | null = null;
function schemaValidator() {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(BUILT_IN_PLAYBOOKS_DIR, 'playbook.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: true }).compile(schema);
  }
  return validator;
}

/** Where a path of the file is: its line and column, from yaml's own LineCounter (a key's own position for a key). */
function locate(doc: Document, lines: LineCounter, path: Array<string | number>): string {
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path.at(-1);
  if (typeof last === 'string' && isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
    if (pair && isNode(pair.key) && pair.key.range) {
      const { line, col } = lines.linePos(pair.key.range[0]);
      return `line ${line}, column ${col}`;
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `line ${line}, column ${col}`;
    }
  }
  return 'line 1, column 1';
}

function pathOf(instancePath: string): Array<string | number> {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describeSchemaError(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown key "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'required') return `missing key "${String(e.params.missingProperty)}"`;
  if (e.keyword === 'enum') return `${e.message ?? 'not allowed'}: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? e.keyword;
}

/** A place in the file, for messages: `steps/2/gate (line 14, column 7)`. */
type Where = (path: Array<string | number>) => string;

function schemaProblems(raw: unknown, where: Where): string[] {
  const validate = schemaValidator();
  if (validate(raw)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => {
    // An unknown key is shown where it is written.
    const path = pathOf(e.instancePath);
    if (e.keyword === 'additionalProperties') path.push(String(e.params.additionalProperty));
    return `${where(path)}: ${describeSchemaError(e)}`;
  });
}

function stepShapeProblems(steps: RawStep[], where: Where): string[] {
  const problems: string[] = [];
  const last = steps.length - 1;
  steps.forEach((s, i) => {
    const edge = i === 0 || i === last;
    if (edge && s.gate) problems.push(`${where(['steps', i, 'gate'])}: the ${i === 0 ? 'first' : 'last'} step has no gate (${i === 0 ? 'it is entered when the engagement is first seen' : 'completion enters it'})`);
    if (!edge && !s.gate) problems.push(`${where(['steps', i])}: step "${s.key}" needs a gate: the label(s) that open it`);
    if (edge && (s['skip-when-empty'] || s.handoff)) problems.push(`${where(['steps', i])}: the first and last steps cannot be skipped or hand off`);
    if (steps.findIndex((t) => t.key === s.key) !== i) problems.push(`${where(['steps', i, 'key'])}: step "${s.key}" is defined twice`);
    if (s['skip-when-empty'] && (s.handoff || steps[i - 1]?.['skip-when-empty'])) problems.push(`${where(['steps', i, 'skip-when-empty'])}: the handoff step, and a step right after another skippable one, cannot be skipped`);
    const records = s.gate?.records;
    if (records && (RESERVED_KEYS.includes(records.key) || /^task_\d+$/.test(records.key))) problems.push(`${where(['steps', i, 'gate', 'records', 'key'])}: "${records.key}" is a front-matter key already; choose another name`);
    if (records && JSON.stringify(Object.keys(records.values).sort()) !== JSON.stringify([...(s.gate?.labels ?? [])].sort())) {
      problems.push(`${where(['steps', i, 'gate', 'records', 'values'])}: give a value for each of the gate's labels (${s.gate?.labels.join(', ')}) and no other`);
    }
  });
  const handoffs = steps.filter((s) => s.handoff).length;
  if (handoffs !== 1) problems.push(`${where(['steps'])}: exactly one step has "handoff: true" (the one that opens the transfer request); found ${handoffs}`);
  else if (!steps[last - 1]?.handoff) problems.push(`${where(['steps', steps.findIndex((s) => s.handoff)])}: the handoff step must come just before the last step (completion follows the confirmed handoff)`);
  return problems;
}

function labelProblems(raw: RawPlaybook, where: Where): string[] {
  const declared = Object.keys(raw.labels);
  const used = [...raw.steps.flatMap((s) => s.gate?.labels ?? []), raw.task.label];
  const problems: string[] = [];
  raw.steps.forEach((s, i) =>
    (s.gate?.labels ?? []).forEach((l, j) => {
      if (!declared.includes(l)) problems.push(`${where(['steps', i, 'gate', 'labels', j])}: label "${l}" is not declared under "labels"`);
    }),
  );
  if (!declared.includes(raw.task.label)) problems.push(`${where(['task', 'label'])}: label "${raw.task.label}" is not declared under "labels"`);
  for (const l of declared) if (!used.includes(l)) problems.push(`${where(['labels', l])}: label "${l}" opens no step and is not the task's`);
  for (const l of declared) if (l in ENGINE_LABELS) problems.push(`${where(['labels', l])}: "${l}" is one of the engine's own labels; give the step another`);
  for (const l of new Set(used)) if (used.filter((u) => u === l).length > 1) problems.push(`${where(['labels', l])}: label "${l}" is used by more than one gate`);
  const from = raw.computed?.next_action_date?.['from-step'];
  if (from && !raw.steps.some((s) => s.key === from)) problems.push(`${where(['computed', 'next_action_date', 'from-step'])}: there is no step "${from}"`);
  return problems;
}

function toPlaybook(raw: RawPlaybook, file: string, at: (path: Array<string | number>) => string): Playbook {
  const nextAction = raw.computed?.next_action_date;
  return {
    name: raw.playbook,
    file,
    title: raw.title,
    phase: raw.phase ?? null,
    milestone: raw.milestone,
    servicesLabel: raw['services-label'] ?? { en: 'Services', 'pt-BR': 'Serviços' },
    keyInputs: raw['key-inputs'] ?? { en: [], 'pt-BR': [] },
    keyOutputs: raw['key-outputs'] ?? { en: [], 'pt-BR': [] },
    labels: raw.labels,
    steps: raw.steps.map((s, i) => ({
      key: s.key,
      name: s.name,
      gate: s.gate ? { labels: s.gate.labels, records: s.gate.records ?? null } : null,
      skipWhenEmpty: s['skip-when-empty'] ?? null,
      message: s.message,
      emails: (s.emails ?? []).map((e) => ({ value: e.value, template: e.template, to: e.to ?? null })),
      handoff: s.handoff === true,
      stall: s.stall !== false,
      stallDays: typeof s.stall === 'number' ? s.stall : null,
      at: { message: at(['steps', i, 'message']), emails: (s.emails ?? []).map((_, j) => at(['steps', i, 'emails', j, 'template'])) },
    })),
    task: { id: raw.task.id, label: raw.task.label, name: raw.task.name, ftopName: raw.task['ftop-name'] ?? raw.task.name },
    nextActionDate: nextAction ? { rule: nextAction.rule, fromStep: nextAction['from-step'] } : null,
    handoff: {
      step: (raw.steps.find((s) => s.handoff) as RawStep).key,
      command: raw.handoff.command,
      queues: Object.fromEntries(REGIONS.map((r) => { const q = raw.handoff.queues[r]; return [r, typeof q === 'string' ? { en: q, 'pt-BR': q } : q]; })) as Record<Region, Localized>,
      aliases: Object.fromEntries(REGIONS.map((r) => [r, raw.handoff.aliases?.[r] ?? []])) as Record<Region, string[]>,
      fmKeepsAssignment: raw.handoff['fm-keeps-assignment'] !== false,
    },
    stallDays: { default: raw['stall-days']?.default ?? 14, handoff: raw['stall-days']?.handoff ?? 5 },
    nextSteps: raw['next-steps'] ?? { en: [], 'pt-BR': [] },
  };
}

/** Parses and checks the text of a playbook file; `file` names it in messages. */
export function parsePlaybook(text: string, file: string): Playbook {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PlaybookError(file, doc.errors.slice(0, 20).map((e) => {
      const { line, col } = lines.linePos(e.pos[0]);
      return `line ${line}, column ${col}: ${e.message.split('\n')[0]}`;
    }));
  }
  const raw = doc.toJS({ maxAliasCount: 50 }) as unknown;
  const where: Where = (path) => `${path.length ? path.join('/') : '(top)'} (${locate(doc, lines, path)})`;
  const shape = schemaProblems(raw, where);
  if (shape.length > 0) throw new PlaybookError(file, shape);
  const rules = [...stepShapeProblems((raw as RawPlaybook).steps, where), ...labelProblems(raw as RawPlaybook, where)];
  if (rules.length > 0) throw new PlaybookError(file, rules);
  return toPlaybook(raw as RawPlaybook, file, (path) => locate(doc, lines, path));
}

const cache = new Map<string, Playbook>();

/** A built-in playbook by name, or a file in the checkout (`workspace`) by path. */
export function loadPlaybook(nameOrPath: string, workspace: string = process.cwd()): Playbook {
  const builtIn = (BUILT_IN_PLAYBOOKS as readonly string[]).includes(nameOrPath);
  const path = builtIn ? join(BUILT_IN_PLAYBOOKS_DIR, `${nameOrPath}.yml`) : isAbsolute(nameOrPath) ? nameOrPath : join(workspace, nameOrPath);
  const file = builtIn ? `playbooks/${nameOrPath}.yml` : relative(workspace, path) || path;
  const cached = cache.get(path);
  if (cached) return cached;
  if (!existsSync(path)) {
    throw new PlaybookError(file, [`no such file; "playbook" takes ${BUILT_IN_PLAYBOOKS.join(' or ')}, or a path in the repository checkout`]);
  }
  const playbook = parsePlaybook(readFileSync(path, 'utf8'), file);
  cache.set(path, playbook);
  return playbook;
}
