// What FMs, assignment teams and maintainers run into in production (issue 11): Portuguese queue
// names, stall thresholds per step and `on-hold`, an engagement closed by hand, separation of
// duties, an assignment repository elsewhere, and real names and recipients in the drafts.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { ASSIGNER, BOT, FM, OUTSIDER, WITHOUT_ACCOUNT_TEAM, WITH_ACCOUNT_TEAM, frontMatter, runDist, type TestWorld } from './support/harness.js';
import { botComments, stateOf, world } from './support/scenarios.js';

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY).toISOString();

async function toHandoff(w: TestWorld, fields: Record<string, string>, inputs: Record<string, string> = {}, runner: 'dist' | 'in-process' = 'in-process'): Promise<{ n: number; request: number }> {
  const n = await w.openEngagement(frontMatter(fields));
  await w.deliver(runner, inputs);
  const labels = fields.account_team ? ['migration-complete', 'account-team-notified', 'workload-not-ready', 'follow-up-sent'] : ['migration-complete', 'workload-not-ready', 'follow-up-sent'];
  for (const label of labels) {
    await w.addLabel(n, label);
    await w.deliver(runner, inputs);
  }
  return { n, request: w.issue(n).subIssues[0]?.number as number };
}

describe.concurrent('Portuguese queue names', () => {
  it('a pt-BR engagement names the seed’s queue everywhere, and /queue-moved takes either spelling (dist/index.js)', async (test) => {
    const w = await world(test);
    const { n, request } = await toHandoff(w, { ...WITHOUT_ACCOUNT_TEAM, locale: 'pt-BR' }, {}, 'dist');
    expect(w.issue(request).title).toContain('FTCQ Inativo ‒ Américas');
    expect(w.issue(request).body).toContain('FTCQ Inativo ‒ Américas');
    expect(stateOf(w, n).transfer?.queue).toBe('FTCQ Inativo ‒ Américas');
    const said = [...botComments(w, n), w.issue(request).body].join('\n');
    expect(said).not.toMatch(/FTCQ Inactive/);
    await w.addLabel(n, 'task-4060-done');
    await w.comment(request, '/queue-moved FTCQ Inactive – Americas', ASSIGNER);
    await w.deliver('dist');
    expect(w.issue(n).state).toBe('closed');
    expect(stateOf(w, n)).toMatchObject({ step: 'completed', transfer: { confirmed_by: ASSIGNER } });
  });

  it('the queues input renames per language when given as a map of maps', () => {
    const config = parseConfig((name) => ({ 'github-token': 't', queues: 'en:\n  EMEA: Inactive EU\npt-BR:\n  EMEA: Inativo UE' })[name] ?? '', { GITHUB_REPOSITORY: 'o/r' });
    expect(config.queues).toEqual({ en: { EMEA: 'Inactive EU' }, 'pt-BR': { EMEA: 'Inativo UE' } });
    const flat = parseConfig((name) => ({ 'github-token': 't', queues: 'EMEA: Inactive EU' })[name] ?? '', { GITHUB_REPOSITORY: 'o/r' });
    expect(flat.queues).toEqual({ en: { EMEA: 'Inactive EU' }, 'pt-BR': { EMEA: 'Inactive EU' } });
    expect(() => parseConfig((name) => ({ 'github-token': 't', queues: 'fr:\n  EMEA: x' })[name] ?? '', { GITHUB_REPOSITORY: 'o/r' })).toThrow(/queues: "fr" is not a language/);
  });
});

describe.concurrent('stalls', () => {
  it('stall-days takes a map of step to days, and counts a step the playbook does not when the map names it', async (test) => {
    const w = await world(test);
    const waiting = w.seedEngagement({ ...WITHOUT_ACCOUNT_TEAM, customer: 'A' }, { step: 'awaiting-migration', step_since: daysAgo(70) });
    const discussing = w.seedEngagement({ ...WITHOUT_ACCOUNT_TEAM, customer: 'B' }, { step: 'discussion', step_since: daysAgo(20) }, ['migration-complete']);
    const report = await w.runScan({ 'stall-days': 'awaiting-migration: 60\ndiscussion: 30', dashboard: 'false' });
    expect(report.stalled).toBe(1);
    expect(w.issue(waiting).labels).toContain('stalled');
    expect(w.issue(discussing).labels).not.toContain('stalled');
    expect(botComments(w, waiting).at(-1)).toContain('the limit is 60 days');
  });

  it('on-hold pauses stall flagging, and putting an engagement on hold clears its flag', async (test) => {
    const w = await world(test);
    const held = w.seedEngagement({ ...WITHOUT_ACCOUNT_TEAM, customer: 'A' }, { step: 'discussion', step_since: daysAgo(20) }, ['migration-complete', 'on-hold']);
    const flagged = w.seedEngagement({ ...WITHOUT_ACCOUNT_TEAM, customer: 'B' }, { step: 'discussion', step_since: daysAgo(20) }, ['migration-complete']);
    const first = await w.runScan({ dashboard: 'false' });
    expect(first.stalled).toBe(1);
    expect(w.issue(held).labels).not.toContain('stalled');
    expect(botComments(w, held)).toHaveLength(1); // the seeded step message only
    expect(w.issue(flagged).labels).toContain('stalled');
    await w.addLabel(flagged, 'on-hold');
    await w.deliver();
    expect(w.issue(flagged).labels).not.toContain('stalled');
    expect(stateOf(w, flagged).stalled_since ?? null).toBeNull();
    const renamed = await w.runScan({ dashboard: 'false', labels: 'on-hold: paused' });
    expect(renamed.stalled).toBe(2); // `on-hold` is no longer the pause label: both count again
  });
});

describe.concurrent('closed by hand before completion', () => {
  it('puts the open transfer request on hold with a note; reopening resumes both (dist/index.js)', async (test) => {
    const w = await world(test);
    const { n, request } = await toHandoff(w, WITH_ACCOUNT_TEAM, {}, 'dist');
    await w.closeIssue(n);
    await w.deliver('dist');
    expect(w.issue(request)).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
    const paused = botComments(w, request).at(-1) ?? '';
    expect(paused).toContain('was closed before its completion');
    expect(stateOf(w, n).step).toBe('offboarding');
    await w.reopen(n);
    await w.deliver('dist');
    expect(w.issue(request).state).toBe('open');
    expect(botComments(w, request).at(-1)).toMatch(/again/);
    // Closed a second time: a second note, not a repeat of nothing.
    await w.closeIssue(n);
    await w.deliver('dist');
    expect(botComments(w, request).filter((c) => c.includes('was closed before its completion'))).toHaveLength(2);
  });
});

describe.concurrent('separation of duties', () => {
  it("refuses the engagement's own FM confirming their own queue move, even when listed as a confirmer, and says why", async (test) => {
    const w = await world(test);
    const inputs = { 'assignment-team-members': `${ASSIGNER}, ${FM}` };
    const { n, request } = await toHandoff(w, WITH_ACCOUNT_TEAM, inputs);
    await w.comment(request, '/queue-moved', FM);
    await w.deliver('in-process', inputs);
    expect(stateOf(w, n).transfer?.confirmed_by ?? null).toBeNull();
    const refusal = botComments(w, request).at(-1) ?? '';
    expect(refusal).toContain('@fm-alice');
    expect(refusal).toMatch(/FastTrack Manager/);
    expect(refusal).toContain('Nothing changed');
  });
});

describe.concurrent('an assignment repository elsewhere', () => {
  it('answers /queue-moved there at once, acting on the engagement in the ticket repository (dist/index.js)', async (test) => {
    const w = await world(test);
    const assignments = 'contoso-ft/assignments';
    w.gh.addRepo(assignments);
    w.gh.addCollaborator(assignments, ASSIGNER, 'write');
    w.gh.addCollaborator(assignments, OUTSIDER, 'read');
    const inputs = { 'assignment-repo': assignments };
    const { n } = await toHandoff(w, WITHOUT_ACCOUNT_TEAM, inputs);
    await w.addLabel(n, 'task-4060-done');
    await w.deliver('in-process', inputs);
    const [request] = w.gh.issues(assignments);
    w.newEvents();
    await w.people.get(ASSIGNER)?.rest.issues.createComment({ owner: 'contoso-ft', repo: 'assignments', issue_number: request?.number as number, body: '/queue-moved' });
    const [event] = w.gh.events.filter((e) => e.name === 'issue_comment' && e.actor === ASSIGNER).slice(-1);
    // The assignment repository's own workflow (examples/engagements-assignment-repo.yml).
    const run = await runDist(w.gh.url, assignments, 'issue_comment', event?.payload, w.inputs({ mode: 'event', 'assignment-repo': assignments }));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.engagement).toBe(String(n));
    expect(w.issue(n)).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(stateOf(w, n)).toMatchObject({ step: 'completed', transfer: { confirmed_by: ASSIGNER } });
    expect(w.gh.issue(assignments, request?.number as number).state).toBe('closed');
    expect(w.gh.issue(assignments, request?.number as number).comments.filter((c) => c.author === BOT)).toHaveLength(1);
  });
});

describe.concurrent('real names and recipients in drafts', () => {
  it('fm_name signs the drafts, customer_contacts addresses the follow-up e-mail, and no draft has an empty Cc (dist/index.js)', async (test) => {
    const w = await world(test);
    const fields = { ...WITH_ACCOUNT_TEAM, fm_name: 'Alice Martins', customer_contacts: '\n  - {name: Carla Reis, email: carla@contoso.com}\n  - it@contoso.com' };
    const n = await w.openEngagement(frontMatter(fields));
    await w.deliver('dist');
    for (const label of ['migration-complete', 'account-team-notified', 'workload-ready']) {
      await w.addLabel(n, label);
      await w.deliver('dist');
    }
    const [, preparation, , followUp] = botComments(w, n);
    expect(preparation).toContain('Alice Martins');
    expect(followUp).toContain('carla@contoso.com; it@contoso.com');
    expect(followUp).toContain('mailto:carla%40contoso.com,it%40contoso.com?');
    expect(followUp).toContain('Alice Martins');
    for (const draft of [preparation, followUp]) expect(draft).not.toMatch(/\*\*Cc\*\*\n_\(optional\)_/);
  });
});
