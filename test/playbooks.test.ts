// Playbooks as data: the built-in editions, a bad definition refused before any API call with
// the file, the place in it and the line, the enablement edition walked end to end, a team's own
// playbook read from its checkout, and an engagement's playbook fixed once it is under way.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { PlaybookError, parsePlaybook } from '../src/files/playbook-file.js';
import { TemplateError, loadMessages } from '../src/files/templates.js';
import { parseConfig } from '../src/config.js';
import { checkOverrides } from '../src/modes/template-check.js';
import { ASSIGNER, WITH_ACCOUNT_TEAM, frontMatter } from './support/harness.js';
import { ENABLEMENT, MIGRATION } from './support/playbooks.js';
import { botComments, botPostKinds, runDistWith, stateOf, world } from './support/scenarios.js';

const MIGRATION_TEXT = readFileSync(new URL('../playbooks/migration.yml', import.meta.url), 'utf8');

/** The line (1-based) of the first line of `text` that contains `fragment`. */
const lineOf = (text: string, fragment: string) => text.split('\n').findIndex((l) => l.includes(fragment)) + 1;

function problemsOf(text: string): string[] {
  try {
    parsePlaybook(text, 'team.yml');
  } catch (error) {
    if (error instanceof PlaybookError) return error.problems;
    throw error;
  }
  return [];
}

function tempCheckout(test: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'engagement-checkout-'));
  test.onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe.concurrent('the built-in playbooks', () => {
  it('migration and enablement differ where the page editions differ, and only there', () => {
    expect(MIGRATION.steps.map((s) => s.key)).toEqual(['awaiting-migration', 'preparation', 'discussion', 'follow-up', 'offboarding', 'completed']);
    expect(ENABLEMENT.steps.map((s) => s.key)).toEqual(['awaiting-enablement', 'preparation', 'discussion', 'follow-up', 'offboarding', 'completed']);
    expect(MIGRATION.steps[1]?.gate?.labels).toEqual(['migration-complete']);
    expect(ENABLEMENT.steps[1]?.gate?.labels).toEqual(['enablement-complete']);
    expect([MIGRATION.task.id, MIGRATION.task.label, MIGRATION.task.name.en]).toEqual([4060, 'task-4060-done', 'Disengagement Process is Complete (migration)']);
    expect([ENABLEMENT.task.id, ENABLEMENT.task.label, ENABLEMENT.task.name.en]).toEqual([4058, 'task-4058-done', 'Disengagement Process is Complete (enablement)']);
    expect(ENABLEMENT.keyInputs.en[0]).toBe('the Enablement Complete task is complete');
    expect(ENABLEMENT.nextSteps.en).toEqual(['Update the service status to *Adoption* or *Migration*.']);
    // The same discussion, follow-up, next action date, queues and assignment rule.
    for (const key of ['handoff', 'nextActionDate', 'stallDays'] as const) expect(ENABLEMENT[key]).toEqual(MIGRATION[key]);
    // Where each file names its templates (`at`) differs with the files' lengths, not with the process.
    const withoutPlace = (steps: typeof MIGRATION.steps) => steps.map(({ at: _at, ...step }) => step);
    expect(withoutPlace(ENABLEMENT.steps.slice(2))).toEqual(withoutPlace(MIGRATION.steps.slice(2)));
  });
});

describe.concurrent('a bad playbook definition', () => {
  // [what is wrong, text replaced, replacement, the line the message must name (a fragment of it), the message]
  const cases: Array<[string, string, string, string, RegExp]> = [
    ['an unknown key', 'stall-days:', 'stall-dayz:', 'stall-dayz:', /^stall-dayz \(line L, column 1\): unknown key "stall-dayz"$/],
    ['a colour that is not hex', 'color: "5319e7", description: "FM: the customer is ready', 'color: purple, description: "FM: the customer is ready', 'workload-ready: { color: purple', /^labels\/workload-ready\/color \(line L, column 21\): must match pattern/],
    ['a step without its name', '    name: { en: discussion, pt-BR: discussão }\n', '', '  - key: discussion', /^steps\/2 \(line L, column 5\): missing key "name"$/],
    ['an undeclared gate label', 'gate: { labels: [follow-up-sent] }', 'gate: { labels: [follow-up-done] }', 'follow-up-done', /^steps\/4\/gate\/labels\/0 \(line L, column 22\): label "follow-up-done" is not declared under "labels"$/],
    ['a second handoff step', '    message: step-follow-up\n', '    message: step-follow-up\n    handoff: true\n', 'steps:', /^steps \(line L, column 1\): exactly one step has "handoff: true".*found 2$/],
    ['a skippable handoff step', '    handoff: true\n', '    handoff: true\n    skip-when-empty: services\n', 'skip-when-empty: services', /^steps\/4\/skip-when-empty \(line L, column 5\): the handoff step, and a step right after another skippable one, cannot be skipped$/],
    ['an alternative recorded under an FM key', 'key: workload_ready', 'key: customer', 'key: customer', /^steps\/3\/gate\/records\/key \(line L, column 9\): "customer" is a front-matter key already; choose another name$/],
    // yaml reports an unclosed flow sequence where it notices it: the line after.
    ['YAML that does not parse', 'task:\n  id: 4060', 'task:\n  id: [4060', '  label: task-4060-done', /^line L, column 3: Flow sequence in block collection must be sufficiently indented and end with a \]$/],
  ];
  it.each(cases)('%s: refused with the path in the file and its line', (_name, from, to, at, expected) => {
    expect(MIGRATION_TEXT).toContain(from);
    const text = MIGRATION_TEXT.replace(from, to);
    const problems = problemsOf(text);
    const line = lineOf(text, at);
    expect(line).toBeGreaterThan(0);
    expect(problems.some((p) => new RegExp(expected.source.replace('line L', `line ${line}`)).test(p)), problems.join('\n')).toBe(true);
  });

  it('stops dist/index.js before any API call, naming the file, the path and the line', async (test) => {
    const w = await world(test);
    const checkout = tempCheckout(test);
    mkdirSync(join(checkout, '.github'));
    writeFileSync(join(checkout, '.github/engagement-playbook.yml'), MIGRATION_TEXT.replace('gate: { labels: [account-team-notified] }', 'gate: { labels: [customer-briefed] }'));
    await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    const [opened] = w.newEvents();
    w.gh.resetLog();
    const run = await runDistWith(w, opened as NonNullable<typeof opened>, { inputs: { playbook: '.github/engagement-playbook.yml' }, env: { GITHUB_WORKSPACE: checkout } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::');
    expect(run.stdout).toContain('playbook .github/engagement-playbook.yml is not valid');
    expect(run.stdout).toMatch(/steps\/2\/gate\/labels\/0 \(line \d+, column 22\): label "customer-briefed" is not declared under "labels"/);
    expect(w.gh.requests).toEqual([]);
  });

  it("refuses the engine's own labels, and a task key for an alternative's value", () => {
    const engineLabel = MIGRATION_TEXT.replaceAll('follow-up-sent', 'stalled');
    expect(problemsOf(engineLabel).some((p) => /^labels\/stalled \(line \d+, column 3\): "stalled" is one of the engine's own labels/.test(p))).toBe(true);
    const taskKey = MIGRATION_TEXT.replace('key: workload_ready', 'key: task_4060');
    expect(problemsOf(taskKey).some((p) => p.includes('"task_4060" is a front-matter key already'))).toBe(true);
  });

  it('renders a playbook of your own at start: a built-in message without the values it needs is named', (test) => {
    const checkout = tempCheckout(test);
    const file = join(checkout, 'playbook.yml');
    const own = MIGRATION_TEXT.replace('playbook: migration', 'playbook: contoso-completion');
    writeFileSync(file, own.replace('    emails:\n      - { value: transferEmail, template: email-transfer-request }\n', ''));
    const config = parseConfig((name) => ({ 'github-token': 't', playbook: file })[name] ?? '', { GITHUB_REPOSITORY: 'contoso-ft/engagements' });
    expect(() => checkOverrides(config, loadMessages({ playbooks: config.playbooks.all }))).toThrow(/^templates: en\/step-offboarding\.md\.hbs cannot be rendered with the values its playbook gives/);
    const good = join(checkout, 'good.yml');
    writeFileSync(good, own);
    const fine = parseConfig((name) => ({ 'github-token': 't', playbook: good })[name] ?? '', { GITHUB_REPOSITORY: 'contoso-ft/engagements' });
    expect(() => checkOverrides(fine, loadMessages({ playbooks: fine.playbooks.all }))).not.toThrow();
  });

  it('names a template the playbook needs that exists nowhere, with the playbook file, the step and its line, before anything runs', () => {
    const text = MIGRATION_TEXT.replace('    message: step-discussion\n', '    message: our-discussion\n');
    const line = text.split('\n').indexOf('    message: our-discussion') + 1;
    expect(line).toBeGreaterThan(1);
    const playbook = parsePlaybook(text, 'team.yml');
    expect(() => loadMessages({ playbooks: [playbook] })).toThrow(TemplateError);
    expect(() => loadMessages({ playbooks: [playbook] })).toThrow(
      `team.yml, step \`discussion\`, message (line ${line}, column 5): template \`our-discussion\` has no file en/our-discussion.md.hbs or pt-BR/our-discussion.md.hbs, neither built in nor in templates-path. Set templates-path to a directory of the checkout and add en/our-discussion.md.hbs and pt-BR/our-discussion.md.hbs there, or correct the name in the playbook.`,
    );
    expect(() => loadMessages({ playbooks: [MIGRATION, ENABLEMENT] })).not.toThrow();
  });

  it('the missing-template message docs/playbooks.md shows is the one its example playbook gives', () => {
    const doc = readFileSync(new URL('../docs/playbooks.md', import.meta.url), 'utf8');
    const example = doc.slice(doc.indexOf('## Your own playbook: an example'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(example)?.[1] ?? '';
    const playbook = parsePlaybook(yaml, '.github/engagement-playbook.yml');
    let message = '';
    try {
      loadMessages({ playbooks: [playbook] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^templates:\n- \.github\/engagement-playbook\.yml, step `awaiting-cutover`, message \(line \d+, column \d+\)/);
    expect(doc).toContain(`\`\`\`text\n${message}\n\`\`\``);
  });

  it('the message the README shows is the message a run gives', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const shown = /`(playbook \.github\/engagement-playbook\.yml is not valid: [^`]+)`/.exec(readme)?.[1];
    const text = MIGRATION_TEXT.replace('gate: { labels: [account-team-notified] }', 'gate: { labels: [customer-briefed] }');
    let message = '';
    try {
      parsePlaybook(text, '.github/engagement-playbook.yml');
    } catch (error) {
      message = (error as Error).message;
    }
    const [heading, ...problems] = message.split('\n- ');
    expect(`${heading} ${problems[0]}`).toBe(shown);
  });
});

describe.concurrent('the enablement playbook', () => {
  it('walks an enablement engagement to completion, in the enablement edition’s terms', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter({ ...WITH_ACCOUNT_TEAM, playbook: 'enablement' }));
    await w.deliver();
    expect(stateOf(w, n)).toMatchObject({ step: 'awaiting-enablement', task_4058: 'pending' });
    for (const label of ['enablement-complete', 'account-team-notified', 'workload-not-ready', 'follow-up-sent', 'task-4058-done']) {
      await w.addLabel(n, label);
      await w.deliver();
    }
    expect(stateOf(w, n)).toMatchObject({ step: 'offboarding', task_4058: 'done', workload_ready: false, next_action_date: `${new Date().getUTCFullYear() + 1}-12-31` });
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', ASSIGNER);
    await w.deliver();
    expect(w.issue(n)).toMatchObject({ state: 'closed', stateReason: 'completed', assignees: [] });
    expect(stateOf(w, n)).toMatchObject({ step: 'completed', task_4058: 'done' });
    expect(w.issue(n).body).not.toMatch(/task_4060|4060/);

    const [welcome, preparation, discussion, , offboarding, , completed] = botComments(w, n);
    expect(welcome).toContain('**100 active users**, or **10 percent of the seats** for a customer with fewer than 1,000 seats');
    expect(welcome).toContain('`enablement-complete`');
    expect(preparation).toContain('The enablement for **Contoso Ltd** is complete');
    expect(preparation).toContain('enablement complete, engagement completion review');
    expect(discussion).toContain('Confirm the Enablement Complete task is complete.');
    expect(offboarding).toContain('**4058** "Disengagement Process is Complete (enablement)"');
    expect(offboarding).toContain('`task-4058-done`');
    expect(completed).toContain('Update the service status to *Adoption* or *Migration*.');
    expect(completed).toContain('The Enablement Complete task is complete.');
    expect(completed).not.toContain('Success Execution Support');
    for (const text of botComments(w, n)) expect(text).not.toMatch(/4060|migration-complete|Services migrated/);
  });

  it('ignores the migration label on an enablement engagement and the other way round', async (test) => {
    const w = await world(test);
    const enablement = await w.openEngagement(frontMatter({ ...WITH_ACCOUNT_TEAM, playbook: 'enablement' }));
    const migration = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await w.deliver();
    await w.addLabel(enablement, 'migration-complete');
    await w.addLabel(migration, 'enablement-complete');
    await w.deliver();
    expect(stateOf(w, enablement).step).toBe('awaiting-enablement');
    expect(stateOf(w, migration).step).toBe('awaiting-migration');
    await w.addLabel(enablement, 'enablement-complete');
    await w.deliver();
    expect(stateOf(w, enablement).step).toBe('preparation');
  });
});

describe.concurrent('choosing a playbook', () => {
  it('refuses, once, to change the playbook of an engagement under way, and changes nothing', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await w.deliver();
    await w.addLabel(n, 'migration-complete');
    await w.deliver();
    const before = stateOf(w, n);
    await w.editBody(n, w.issue(n).body.replace('fm: fm-alice', 'fm: fm-alice\nplaybook: enablement'));
    await w.deliver();
    await w.addLabel(n, 'account-team-notified');
    await w.deliver();
    const refusals = botComments(w, n).filter((c) => c.includes('playbook-change-refused'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('already under way with the `migration` playbook');
    expect(refusals[0]).toContain('asks for `enablement`');
    // The engagement goes on with migration: its steps, its task key, its history.
    expect(stateOf(w, n)).toMatchObject({ step: 'discussion', task_4060: 'pending', history: [...before.history, expect.objectContaining({ from: 'preparation', to: 'discussion' })] });
    expect(w.issue(n).body).not.toContain('task_4058');
    expect(w.issue(n).body).toContain('playbook: enablement');
  });

  it('answers an unknown playbook name with the key, its line and the known names', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter({ ...WITH_ACCOUNT_TEAM, playbook: 'onboarding' }));
    await w.deliver();
    expect(botPostKinds(w, n)).toEqual(['invalid']);
    const [said] = botComments(w, n);
    expect(said).toContain('`playbook`');
    expect(said).toContain('onboarding');
    expect(said).toContain('`migration`, `enablement`');
    expect(said).toMatch(/line \d+/);
  });

  it('the `playbook` input sets the default: an engagement that names none runs enablement', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await w.deliver('in-process', { playbook: 'enablement' });
    expect(stateOf(w, n)).toMatchObject({ step: 'awaiting-enablement', task_4058: 'pending' });
  });
});

/** A team's own process: the migration playbook with the ATU label renamed and its own welcome. */
function teamPlaybook(): string {
  return MIGRATION_TEXT.replace('playbook: migration', 'playbook: contoso-completion')
    .replace('  account-team-notified: { color: "1d76db", description: "FM: the ATU e-mail was sent to the account team" }', '  customer-briefed: { color: "1d76db", description: "FM: the account team has been briefed" }')
    .replace('gate: { labels: [account-team-notified] }', 'gate: { labels: [customer-briefed] }')
    .replace('    message: welcome\n', '    message: contoso-welcome\n');
}

describe.concurrent("a team's own playbook", () => {
  it('is read from the checkout, with its own label and template, and walks to completion through dist/index.js', async (test) => {
    const w = await world(test);
    const checkout = tempCheckout(test);
    mkdirSync(join(checkout, '.github/engagement-templates'), { recursive: true });
    writeFileSync(join(checkout, '.github/engagement-playbook.yml'), teamPlaybook());
    writeFileSync(join(checkout, '.github/engagement-templates/contoso-welcome.md.hbs'), 'Contoso process for {{customer}}: when the migration is done, add {{join nextLabels " or "}}.');
    const inputs = { playbook: '.github/engagement-playbook.yml', 'templates-path': join(checkout, '.github/engagement-templates') };
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    for (const step of [[], ['migration-complete'], ['customer-briefed'], ['workload-ready'], ['follow-up-sent'], ['task-4060-done']]) {
      for (const label of step) await w.addLabel(n, label);
      for (const event of w.newEvents()) {
        const run = await runDistWith(w, event, { inputs, env: { GITHUB_WORKSPACE: checkout } });
        expect(run.code, run.stdout + run.stderr).toBe(0);
      }
    }
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', ASSIGNER);
    for (const event of w.newEvents()) expect((await runDistWith(w, event, { inputs, env: { GITHUB_WORKSPACE: checkout } })).code).toBe(0);

    expect(w.issue(n).state).toBe('closed');
    expect(stateOf(w, n)).toMatchObject({ step: 'completed' });
    expect(stateOf(w, n).history.map((h) => h.via)).toContain('label:customer-briefed');
    const [welcome, preparation] = botComments(w, n);
    expect(welcome).toMatch(/^Contoso process for Contoso Ltd: when the migration is done, add `migration-complete`\./);
    expect(preparation).toContain('Then add the label `customer-briefed`');
    expect(botComments(w, n).join('\n')).not.toContain('account-team-notified');
  });

  it('setup creates its labels beside those of the built-in playbooks', async (test) => {
    const w = await world(test);
    const checkout = tempCheckout(test);
    const file = join(checkout, 'playbook.yml');
    writeFileSync(file, teamPlaybook());
    const created = await w.runSetup({ playbook: file });
    const names = created.flatMap((e) => (e.kind === 'create-label' ? [e.label.name] : []));
    expect(names).toEqual(expect.arrayContaining(['customer-briefed', 'account-team-notified', 'enablement-complete', 'migration-complete']));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe.concurrent('stall thresholds per step in a playbook', () => {
  it("a step's own figure counts for it; the dashboard names steps in its language", async (test) => {
    const w = await world(test);
    const checkout = tempCheckout(test);
    const file = join(checkout, 'playbook.yml');
    writeFileSync(file, MIGRATION_TEXT.replace('playbook: migration', 'playbook: contoso-completion').replace('    message: step-discussion\n', '    message: step-discussion\n    stall: 30\n'));
    const inputs = { playbook: file, locale: 'pt-BR' };
    const short = w.seedEngagement({ ...WITH_ACCOUNT_TEAM, customer: 'A' }, { step: 'preparation', step_since: new Date(Date.now() - 20 * 86_400_000).toISOString() }, ['migration-complete']);
    const long = w.seedEngagement({ ...WITH_ACCOUNT_TEAM, customer: 'B' }, { step: 'discussion', step_since: new Date(Date.now() - 20 * 86_400_000).toISOString() }, ['migration-complete', 'account-team-notified']);
    const report = await w.runScan(inputs);
    expect(w.issue(short).labels).toContain('stalled'); // 20 days > the default 14
    expect(w.issue(long).labels).not.toContain('stalled'); // 20 days < the discussion's own 30
    expect(report.stalled).toBe(1);
    const board = w.gh.issues(w.repo).find((i) => i.labels.includes('engagement-dashboard'));
    expect(board?.body).toContain('`discussão`');
    expect(board?.body).toContain('`preparação`');
    expect(board?.body).not.toContain('`preparation`');
  });
});
