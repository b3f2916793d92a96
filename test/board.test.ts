// The lead's board: every engagement an item on a Projects (v2) board, its fields following the
// engagement, written in the decision's one write request. Runs are dist/index.js, as on a runner.
import { describe, expect, it } from 'vitest';
import type { StandInEvent } from './support/github-standin/index.js';
import { ASSIGNER, BOT, FM, STEP_NAMES, WITHOUT_ACCOUNT_TEAM, addEngagementBoard, frontMatter, runDist, type TestWorld } from './support/harness.js';
import { stateOf, world } from './support/scenarios.js';

const ORG = 'contoso-ft';
const URL = `https://github.com/orgs/${ORG}/projects/7`;
const board = (w: TestWorld) => addEngagementBoard(w.gh, ORG, 7);

const itemOf = (w: TestWorld, repo: string, n: number) => w.gh.project(ORG, 7).items.find((i) => i.content.repo === repo && i.content.number === n);

/** The pending events, run in this process through the real adapter (the board's tests that need no annotation). */
async function runHere(w: TestWorld): Promise<void> {
  await w.deliver('in-process', { project: URL });
}

async function run(w: TestWorld, repo = w.repo, inputs: Record<string, string> = {}): Promise<string[]> {
  const out: string[] = [];
  for (const event of w.newEvents() as StandInEvent[]) {
    const result = await runDist(w.gh.url, repo, event.name, event.payload, w.inputs({ project: URL, ...inputs }));
    expect(result.code, result.stdout).toBe(0);
    out.push(result.stdout);
  }
  return out;
}

describe.concurrent('the board', () => {
  it('an engagement walked with the board on: added once, Step following every move, the next action date set, in the one write request', async (test) => {
    const w = await world(test);
    w.defineLabels();
    board(w);
    w.gh.grantProjects(BOT, ORG);
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await runHere(w);
    expect(itemOf(w, w.repo, n)?.values).toMatchObject({ Step: 'awaiting migration', Region: 'Americas', FM: FM });
    const seen: string[] = [];
    for (const label of ['migration-complete', 'workload-not-ready', 'follow-up-sent']) {
      await w.addLabel(n, label);
      w.gh.resetLog();
      await runHere(w);
      seen.push(itemOf(w, w.repo, n)?.values.Step as string);
      if (label === 'migration-complete') {
        // A move with the board on: still one read and one write request.
        expect(w.gh.requests.filter((r) => r.actor === BOT).map((r) => (r.write ? 'write' : 'read'))).toEqual(['read', 'write']);
      }
    }
    expect(seen).toEqual(['discussion', 'follow-up', 'disengagement']);
    const item = itemOf(w, w.repo, n);
    expect(item?.values['Next action date']).toBe(stateOf(w, n).next_action_date);
    expect(item?.values['Step since']).toBe(stateOf(w, n).step_since.slice(0, 10));
    expect(w.gh.project(ORG, 7).items).toHaveLength(1);
    // Completed: Step says so.
    await w.comment(w.issue(n).subIssues[0]?.number as number, '/queue-moved', ASSIGNER);
    await w.addLabel(n, 'task-4060-done');
    await runHere(w);
    expect(itemOf(w, w.repo, n)?.values.Step).toBe('completed');
  });

  it('field names renamed by project-fields: the board’s own names are written', async (test) => {
    const w = await world(test);
    w.defineLabels();
    w.gh.addProject(ORG, 7, 'Engagements', [
      { name: 'Etapa', dataType: 'SINGLE_SELECT', options: STEP_NAMES },
      { name: 'Region', dataType: 'SINGLE_SELECT', options: ['Americas', 'APJ', 'EMEA'] },
    ]);
    w.gh.grantProjects(BOT, ORG);
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await w.deliver('in-process', { project: URL, 'project-fields': 'Step: Etapa' });
    await w.addLabel(n, 'migration-complete');
    await w.deliver('in-process', { project: URL, 'project-fields': 'Step: Etapa' });
    // The fields the board lacks (FM, the dates) are left alone: setup lists them.
    expect(itemOf(w, w.repo, n)?.values).toEqual({ Etapa: 'discussion', Region: 'Americas' });
  });

  it('a dry run reports the board values it would write and writes none', async (test) => {
    const w = await world(test);
    w.defineLabels();
    board(w);
    w.gh.grantProjects(BOT, ORG);
    await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    const [opened] = w.newEvents();
    const report = await w.runInProcess(opened as StandInEvent, { project: URL, 'dry-run': 'true' });
    const planned = report.effects.find((e) => e.kind === 'board');
    expect(planned).toMatchObject({ kind: 'board', values: { Step: 'awaiting migration', Region: 'Americas', FM } });
    expect(w.gh.project(ORG, 7).items).toEqual([]);
  });

  it('engagements of two ticket repositories on one organisation board (dist/index.js)', async (test) => {
    const w = await world(test);
    w.defineLabels();
    board(w);
    w.gh.grantProjects(BOT, ORG);
    const other = `${ORG}/engagements-emea`;
    w.gh.addRepo(other);
    w.defineLabels(other);
    const here = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await run(w);
    const { data } = await w.as(FM).rest.issues.create({ owner: ORG, repo: 'engagements-emea', title: 'Engagement completion', body: frontMatter({ ...WITHOUT_ACCOUNT_TEAM, region: 'EMEA', customer: 'Northwind' }), labels: ['engagement'], assignees: [FM] });
    await run(w, other);
    expect(w.gh.project(ORG, 7).items.map((i) => `${i.content.repo}#${i.content.number} ${i.values.Region}`).sort()).toEqual([`${other}#${data.number} EMEA`, `${w.repo}#${here} Americas`].sort());
  });

  it('the scan puts back an item removed by hand and a value edited by hand, and a second scan writes nothing', async (test) => {
    const w = await world(test);
    w.defineLabels();
    board(w);
    w.gh.grantProjects(BOT, ORG);
    const removed = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    const edited = await w.openEngagement(frontMatter({ ...WITHOUT_ACCOUNT_TEAM, customer: 'Northwind' }));
    await runHere(w);
    expect(w.gh.project(ORG, 7).items).toHaveLength(2);
    w.gh.removeProjectItem(ORG, 7, { repo: w.repo, number: removed });
    w.gh.setProjectItemValue(ORG, 7, { repo: w.repo, number: edited }, 'Step', 'completed');
    w.newEvents(); // a board's edits start no workflow
    const scan = () => w.runScan({ project: URL });
    await scan();
    expect(itemOf(w, w.repo, removed)?.values.Step).toBe('awaiting migration');
    expect(itemOf(w, w.repo, edited)?.values.Step).toBe('awaiting migration');
    w.gh.resetLog();
    await scan();
    expect(w.gh.writes().filter((r) => r.actor === BOT)).toEqual([]);
  });

  it('a project token of its own (a GitHub App’s): the board kept with it, the engagement with the workflow token (dist/index.js)', async (test) => {
    const w = await world(test);
    w.defineLabels();
    board(w);
    const APP = 'engagement-app[bot]';
    w.gh.addUser(APP, { type: 'Bot' });
    w.gh.grantProjects(APP, ORG);
    const inputs = { 'project-token': w.gh.tokenFor(APP) };
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await run(w, w.repo, inputs);
    await w.addLabel(n, 'migration-complete');
    w.gh.resetLog();
    const [out] = await run(w, w.repo, inputs);
    expect(itemOf(w, w.repo, n)?.values.Step).toBe('discussion');
    expect(out).not.toContain('::warning');
    // The workflow token reads and writes the engagement; the App's token the board: one read and one write each.
    const by = (login: string) => w.gh.requests.filter((r) => r.actor === login).map((r) => (r.write ? 'write' : 'read'));
    expect(by(BOT)).toEqual(['read', 'write']);
    expect(by(APP)).toEqual(['read', 'write']);
  });

  it('setup creates the fields a board lacks, says which options to add by hand, and a second setup creates nothing (dist/index.js)', async (test) => {
    const w = await world(test);
    w.defineLabels(); // the labels are there: this is about the board
    w.gh.addLabelDefinition(w.repo, 'on-hold');
    w.gh.addLabelDefinition(w.repo, 'engagement-dashboard');
    w.gh.addProject(ORG, 7, 'Engagements', [{ name: 'Step', dataType: 'SINGLE_SELECT', options: ['preparation'] }]);
    w.gh.grantProjects(BOT, ORG);
    const setup = () => runDist(w.gh.url, w.repo, 'workflow_dispatch', {}, w.inputs({ mode: 'setup', project: URL }));
    const first = await setup();
    expect(first.code, first.stdout).toBe(0);
    const fields = w.gh.project(ORG, 7).fields;
    expect(fields.find((f) => f.name === 'Region')?.options.map((o) => o.name)).toEqual(['Americas', 'APJ', 'EMEA']);
    expect(fields.filter((f) => ['FM', 'Step since', 'Next action date'].includes(f.name)).map((f) => `${f.name}:${f.dataType}`)).toEqual(['FM:TEXT', 'Step since:DATE', 'Next action date:DATE']);
    // The existing Step field keeps its options; the missing ones are listed for a person to add.
    expect(first.stdout).toMatch(/::warning::.*Step: add the option\(s\) awaiting migration, discussion/);
    w.gh.resetLog();
    const second = await setup();
    expect(second.stdout).toContain('Board: every field is there.');
    expect(w.gh.writes().filter((r) => r.actor === BOT && r.graphql)).toEqual([]);
  });

  it('the workflow token refused: one warning saying which token to give, and the engagement still moves (dist/index.js)', async (test) => {
    const w = await world(test);
    w.defineLabels();
    board(w);
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await run(w);
    await w.addLabel(n, 'migration-complete');
    w.gh.resetLog();
    const [out] = await run(w);
    expect(stateOf(w, n).step).toBe('discussion');
    const warnings = (out ?? '').split('\n').filter((l) => l.startsWith('::warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('project-token');
    expect(warnings[0]).toContain('Projects: read and write');
    // No retry beyond the refused read: still one read and one write request.
    expect(w.gh.requests.filter((r) => r.actor === BOT)).toHaveLength(2);
    expect(w.gh.project(ORG, 7).items).toEqual([]);
  });
});
