// The scheduled run, setup and dry-run against the GitHub stand-in over HTTP.
import { builtInCatalog } from '../src/files/playbook-catalog.js';
import { describe, expect, it, type TestContext } from 'vitest';
import { asWritten, parseEngagement } from '../src/process/frontmatter.js';
import { markersIn } from '../src/process/markers.js';
import { ASSIGNER, BOT, FM, SEEDED_ENTRY, SEEDED_STATUS, TestWorld, WITHOUT_ACCOUNT_TEAM, WITH_ACCOUNT_TEAM, frontMatter } from './support/harness.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

async function world(test: TestContext): Promise<TestWorld> {
  const w = await TestWorld.start();
  w.defineLabels();
  test.onTestFinished(() => w.close());
  return w;
}

function fields(i: number) {
  return { customer: `Customer ${i}`, tenant: `t${i}.onmicrosoft.com`, region: ['EMEA', 'APJ', 'Americas'][i % 3] as string, fm: FM };
}

const botWrites = (w: TestWorld) => w.gh.writes().filter((r) => r.actor === BOT);
const stateOf = (w: TestWorld, n: number) => {
  const parsed = parseEngagement(w.issue(n).body, builtInCatalog());
  if (!parsed.ok) throw new Error('invalid');
  return parsed.bot && asWritten(parsed.bot);
};

describe.concurrent('scan', () => {
  it('flags the stalled ones among a few hundred once, and a second scan writes nothing', async (test) => {
    const w = await world(test);
    const stalled: number[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < 300; i++) {
      if (i % 20 === 0) stalled.push(w.seedEngagement(fields(i), { step: 'discussion', step_since: daysAgo(20) }, ['migration-complete']));
      else fresh.push(w.seedEngagement(fields(i), { step: 'awaiting-migration', step_since: daysAgo(i % 10) }));
    }
    const report = await w.runScan();
    expect(report.rows).toHaveLength(300);
    expect(report.stalled).toBe(15);
    for (const n of stalled) {
      const issue = w.issue(n);
      expect(issue.labels).toContain('stalled');
      expect(stateOf(w, n)?.stalled_since).not.toBeNull();
      const said = issue.comments.filter((c) => !c.body.includes(SEEDED_ENTRY) && markersIn(c.body)[0] !== 'status');
      expect(said).toHaveLength(1);
      expect(said[0]?.body).toContain('@fm-alice, this engagement has been at the **discussion** step for **20 days**');
      // The pinned status, edited in the same write request, says so too.
      const status = issue.comments.find((c) => markersIn(c.body)[0] === 'status');
      expect(status).toMatchObject({ pinned: true });
      expect(status?.body).toContain('Stalled at this step');
    }
    for (const n of fresh) expect(w.issue(n).comments.filter((c) => !c.body.includes(SEEDED_ENTRY) && !c.body.includes(SEEDED_STATUS))).toHaveLength(0);
    // One write request per newly stalled engagement (its flag, comment and body in one document), plus the dashboard.
    expect(report.writes).toBe(15 + 1);
    const botRequests = w.gh.requests.filter((r) => r.actor === BOT);
    expect(botRequests.filter((r) => r.graphql?.operation === 'mutation' && r.graphql.name === 'ApplyPlan')).toHaveLength(15);
    // The 15 are read again before their writes in one batch, never one query each.
    expect(botRequests.filter((r) => r.graphql?.name === 'ReadEngagements')).toHaveLength(1);
    expect(botRequests.filter((r) => r.graphql?.name === 'ReadEngagement')).toHaveLength(0);
    expect(report.dashboard).toBe('created');

    w.gh.resetLog();
    const again = await w.runScan();
    expect(botWrites(w)).toEqual([]);
    expect(again.stalled).toBe(15);
    expect(again.dashboard).toBe('unchanged');
  });

  it('flags a wait on the queue move, mentioning the assignment team, and the flag goes when the engagement moves', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await w.deliver();
    for (const label of ['migration-complete', 'workload-ready', 'follow-up-sent']) {
      await w.addLabel(n, label);
      await w.deliver();
    }
    const sixDaysLater = () => new Date(Date.now() + 6 * DAY);
    const report = await w.runScan({}, sixDaysLater);
    expect(report.stalled).toBe(1);
    const flag = w.issue(n).comments.at(-1)?.body ?? '';
    expect(flag).toContain('@contoso-ft/assignment');
    expect(flag).toContain('waited **6 days**');
    expect(w.issue(n).labels).toContain('stalled');

    await w.addLabel(n, 'task-4060-done');
    await w.deliver();
    expect(w.issue(n).labels).toContain('stalled'); // not moved: still waiting on the team
    await w.comment(w.issue(n).subIssues[0]?.number as number, '/queue-moved', ASSIGNER);
    await w.deliver();
    expect(w.issue(n).labels).not.toContain('stalled');
    expect(w.issue(n).state).toBe('closed');
  });

  it('repairs a dropped label event', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await w.deliver();
    await w.addLabel(n, 'migration-complete');
    w.newEvents(); // the run for this event never happened
    expect(stateOf(w, n)?.step).toBe('awaiting-migration');
    const report = await w.runScan();
    expect(report.repaired).toBe(1);
    expect(stateOf(w, n)?.step).toBe('preparation');
    expect(w.issue(n).comments.at(-1)?.body).toContain('ATU e-mail');
    w.gh.resetLog();
    await w.runScan();
    expect(botWrites(w)).toEqual([]);
  });

  it('repairs a dropped /queue-moved confirmation found in the repository-wide comment read', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await w.deliver();
    for (const label of ['migration-complete', 'workload-not-ready', 'follow-up-sent', 'task-4060-done']) {
      await w.addLabel(n, label);
      await w.deliver();
    }
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', ASSIGNER);
    w.newEvents(); // dropped
    w.gh.resetLog();
    await w.runScan();
    const commentReads = w.gh.requests.filter((r) => r.actor === BOT && r.path.endsWith('/issues/comments'));
    expect(commentReads).toHaveLength(1);
    expect(w.issue(n).state).toBe('closed');
    expect(stateOf(w, n)).toMatchObject({ step: 'completed' });
    expect(stateOf(w, n)?.transfer?.confirmed_by).toBe(ASSIGNER);
  });

  it('stops at max-writes with a clear line, and the next run continues', async (test) => {
    const w = await world(test);
    for (let i = 0; i < 6; i++) w.seedEngagement(fields(i), { step: 'discussion', step_since: daysAgo(30) }, ['migration-complete']);
    const first = await w.runScan({ 'max-writes': '4', dashboard: 'false' });
    expect(first.writes).toBe(4); // four engagements, one write request each; a fifth would exceed 4
    expect(first.deferred).toBe(8); // the other two's changes: flag, comment, body and live status each
    const second = await w.runScan({ 'max-writes': '4', dashboard: 'false' });
    expect(second.writes).toBe(2);
    expect(second.deferred).toBe(0);
    const third = await w.runScan({ 'max-writes': '4', dashboard: 'false' });
    expect(third.writes).toBe(0);
    expect(w.gh.issues(w.repo).filter((i) => i.labels.includes('stalled'))).toHaveLength(6);
  });

  it('does not flag the wait for the migration or the enablement to finish, however long', async (test) => {
    const w = await world(test);
    const migration = w.seedEngagement(fields(1), { step: 'awaiting-migration', step_since: daysAgo(200) });
    const discussion = w.seedEngagement(fields(2), { step: 'discussion', step_since: daysAgo(15) }, ['migration-complete']);
    const report = await w.runScan({ dashboard: 'false' });
    expect(report.stalled).toBe(1);
    expect(w.issue(migration).labels).not.toContain('stalled');
    expect(w.issue(discussion).labels).toContain('stalled');
    expect(report.rows.find((r) => r.number === migration)).toMatchObject({ step: 'awaiting-migration', daysInStep: 200, stalled: false });
  });

  it('keeps one dashboard, updated in place only when its content changes', async (test) => {
    const w = await world(test);
    const a = w.seedEngagement(fields(1), { step: 'awaiting-migration', step_since: daysAgo(1) });
    w.seedEngagement(fields(2), { step: 'awaiting-migration', step_since: daysAgo(2) });
    await w.runScan();
    const dashboards = () => w.gh.issues(w.repo).filter((i) => i.labels.includes('engagement-dashboard'));
    expect(dashboards()).toHaveLength(1);
    const board = dashboards()[0];
    expect(board?.title).toBe('Engagement dashboard');
    expect(board?.body).toContain('### `awaiting migration` (2)');
    w.gh.resetLog();
    await w.runScan();
    expect(botWrites(w)).toEqual([]);

    await w.addLabel(a, 'migration-complete');
    await w.deliver();
    const report = await w.runScan();
    expect(report.dashboard).toBe('updated');
    expect(dashboards()).toHaveLength(1);
    expect(dashboards()[0]?.number).toBe(board?.number);
    expect(dashboards()[0]?.body).toContain('### `discussion` (1)');
  });

  it('lists invalid engagements with the reason, without commenting on them', async (test) => {
    const w = await world(test);
    const bad = w.gh.seedIssue(w.repo, { title: 'broken', body: '---\ncustomer: [\n---\n', author: FM, labels: ['engagement'] });
    w.seedEngagement(fields(1), { step: 'awaiting-migration', step_since: daysAgo(1) });
    const report = await w.runScan();
    expect(report.invalid.map((i) => i.number)).toEqual([bad]);
    expect(report.invalid[0]?.problems.map((p) => p.code)).toEqual(['yaml-syntax']);
    expect(w.issue(bad).comments).toEqual([]);
    const board = w.gh.issues(w.repo).find((i) => i.labels.includes('engagement-dashboard'));
    expect(board?.body).toMatch(new RegExp(`\\| \\[#${bad}\\]\\([^)]+\\) \\| Line \\d+, column \\d+: the YAML does not parse \\(.+\\)\\. \\|`));
  });

  it('keeps the dashboard in the locale\'s language: its title, region names and problems; found again by its label', async (test) => {
    const w = await world(test);
    const pt = { locale: 'pt-BR' };
    const bad = w.gh.seedIssue(w.repo, { title: 'quebrado', body: '---\ncustomer: [\n---\n', author: FM, labels: ['engagement'] });
    w.seedEngagement(fields(2), { step: 'awaiting-migration', step_since: daysAgo(1) });
    const report = await w.runScan(pt);
    expect(report.dashboard).toBe('created');
    const dashboards = () => w.gh.issues(w.repo).filter((i) => i.labels.includes('engagement-dashboard'));
    const board = dashboards()[0];
    expect(board?.title).toBe('Painel de envolvimentos');
    expect(board?.body).toContain('## Painel de envolvimentos');
    expect(board?.body).toContain('| Customer 2 | Américas |');
    expect(board?.body).toMatch(new RegExp(`\\| \\[#${bad}\\]\\([^)]+\\) \\| Linha \\d+, coluna \\d+: não foi possível interpretar o YAML`));
    expect(board?.body).not.toMatch(/yaml-syntax|\bAmericas\b/);
    // Found by its label, whatever its title: a scan in English updates the same issue.
    const again = await w.runScan();
    expect(again.dashboard).toBe('updated');
    expect(dashboards().map((i) => i.number)).toEqual([board?.number]);
    expect(dashboards()[0]?.body).toContain('| Customer 2 | Americas |');
  });
});

describe.concurrent('setup and dry-run', () => {
  it('setup creates every label, honours renaming, and a second run changes nothing', async (test) => {
    const w = await TestWorld.start();
    test.onTestFinished(() => w.close());
    const inputs = { labels: 'migration-complete: ecd/migration-complete' };
    const created = await w.runSetup(inputs);
    // The engine's five labels and every built-in playbook's (migration's six, enablement's two of its own).
    expect(created.map((e) => e.kind)).toEqual(Array(13).fill('create-label'));
    const names = created.flatMap((e) => (e.kind === 'create-label' ? [e.label.name] : []));
    expect(names).toEqual(expect.arrayContaining(['ecd/migration-complete', 'enablement-complete', 'task-4058-done', 'task-4060-done']));
    expect(names).not.toContain('migration-complete');
    w.gh.resetLog();
    expect(await w.runSetup(inputs)).toEqual([]);
    expect(botWrites(w)).toEqual([]);
  });

  it('dry-run writes nothing in any mode, and still reports every effect', async (test) => {
    const w = await TestWorld.start();
    test.onTestFinished(() => w.close());
    const dry = { 'dry-run': 'true' };
    expect((await w.runSetup(dry)).length).toBe(13);
    w.defineLabels();
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    const [opened] = w.newEvents();
    w.seedEngagement(fields(9), { step: 'discussion', step_since: daysAgo(40) });
    w.gh.resetLog();
    const report = await w.runInProcess(opened as NonNullable<typeof opened>, dry);
    // The body, the welcome and the live status: reported, none written.
    expect(report.effects.map((e) => (e.kind === 'comment' ? `comment:${e.key.replace(/\/.*/, '')}` : e.kind))).toEqual(['update-body', 'comment:step', 'comment:status']);
    const scan = await w.runScan(dry);
    expect(scan.effects.length).toBeGreaterThan(0);
    expect(botWrites(w)).toEqual([]);
    expect(w.issue(n).comments).toEqual([]);
  });
});
