// The event path against the GitHub stand-in over HTTP: real Octokit, real payloads produced by
// people's actions, the real adapter. Each test has its own stand-in, so they run concurrently.
import { describe, expect, it, type TestContext } from 'vitest';
import type { StandInEvent } from './support/github-standin/index.js';
import { ASSIGNER, BOT, FM, OUTSIDER, TestWorld, WITHOUT_ACCOUNT_TEAM, WITH_ACCOUNT_TEAM, frontMatter } from './support/harness.js';

/** A world of its own for one test, closed when that test ends (tests run concurrently). */
async function world(test: TestContext, options?: Parameters<typeof TestWorld.start>[0]): Promise<TestWorld> {
  const w = await TestWorld.start(options);
  test.onTestFinished(() => w.close());
  return w;
}

/** Walks an engagement to offboarding and returns it with its transfer request's number. */
async function toOffboarding(w: TestWorld, fields: Record<string, string>, labels: string[], inputs: Record<string, string> = {}) {
  const n = await w.openEngagement(frontMatter(fields));
  await w.deliver('in-process', inputs);
  for (const label of labels) {
    await w.addLabel(n, label);
    await w.deliver('in-process', inputs);
  }
  const request = w.issue(n).subIssues[0];
  return { n, request: request?.number ?? -1 };
}

describe.concurrent('event path over HTTP', () => {
  it('walks an engagement with an account team and a ready customer to completion', async (test) => {
    const w = await world(test);
    const { n, request } = await toOffboarding(w, WITH_ACCOUNT_TEAM, ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent'], { 'assignment-assignees': ASSIGNER });
    const transfer = w.issue(request);
    expect(transfer.labels).toEqual(['queue-transfer']);
    expect(transfer.assignees).toEqual([ASSIGNER]);
    expect(transfer.parent).toEqual({ repo: w.repo, number: n });
    expect(transfer.author).toBe(BOT);

    await w.comment(request, '/queue-moved', ASSIGNER);
    await w.deliver();
    expect(w.issue(n).state).toBe('open'); // task 4060 still to be marked
    await w.addLabel(n, 'task-4060-done');
    await w.deliver();

    const done = w.issue(n);
    expect(done).toMatchObject({ state: 'closed', stateReason: 'completed', assignees: [] });
    expect(w.issue(request)).toMatchObject({ state: 'closed', stateReason: 'completed' });
    const botPosts = done.comments.filter((c) => c.author === BOT && !c.body.includes('engagement-bot:status -->')).map((c) => /<!-- engagement-bot:([a-z-]+)\/([a-z-]*)/.exec(c.body)?.slice(1).join(':'));
    expect(botPosts).toEqual([
      'step:awaiting-migration',
      'step:preparation',
      'step:discussion',
      'step:follow-up',
      'step:offboarding',
      'step:completed',
    ]);
    expect(w.issue(request).comments.map((c) => c.author)).toEqual([ASSIGNER, BOT, BOT]); // receipt (task still due), then the closing note
  });

  it('opens the transfer request in 3 calls even when its label is missing, and the request ends labelled', async (test) => {
    const w = await world(test);
    expect(w.gh.labels(w.repo).map((l) => l.name)).not.toContain('queue-transfer');
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await w.deliver();
    for (const label of ['migration-complete', 'workload-not-ready']) {
      await w.addLabel(n, label);
      await w.deliver();
    }
    await w.addLabel(n, 'follow-up-sent');
    w.gh.resetLog();
    await w.deliver();
    const calls = w.gh.requests.filter((r) => r.actor === BOT);
    expect(calls.map((r) => r.graphql?.name ?? `${r.method} ${r.path}`)).toEqual(['ReadEngagement', 'OpenTransferRequestAndLabel', 'ApplyPlan']);
    const request = w.issue(n).subIssues[0]?.number as number;
    expect(w.issue(request).labels).toEqual(['queue-transfer']);
    expect(w.gh.labels(w.repo).find((l) => l.name === 'queue-transfer')?.color).toBe('fbca04');
  });

  it('walks an engagement without account team, customer not ready, confirmation on the engagement first', async (test) => {
    const w = await world(test);
    const { n } = await toOffboarding(w, WITHOUT_ACCOUNT_TEAM, ['migration-complete', 'workload-not-ready', 'follow-up-sent']);
    await w.comment(n, '/queue-moved FTCQ Inactive – Americas', ASSIGNER);
    await w.deliver();
    await w.addLabel(n, 'task-4060-done');
    await w.deliver();
    const done = w.issue(n);
    expect(done.state).toBe('closed');
    expect(done.body).toContain('queue: FTCQ Inactive – Americas');
    expect(done.body).toContain('confirmed_by: assign-bob');
    expect(done.comments.some((c) => c.author === BOT && c.body.includes('ATU e-mail was skipped'))).toBe(true);
  });

  it('refuses /queue-moved from someone outside the assignment team and changes nothing', async (test) => {
    const w = await world(test);
    const { n, request } = await toOffboarding(w, WITHOUT_ACCOUNT_TEAM, ['migration-complete', 'workload-ready', 'follow-up-sent']);
    const bodyBefore = w.issue(n).body;
    await w.comment(request, '/queue-moved', OUTSIDER);
    await w.deliver();
    const reply = w.issue(request).comments.at(-1);
    expect(reply?.author).toBe(BOT);
    expect(reply?.body).toContain('only the assignment team can confirm');
    expect(w.issue(n).body).toBe(bodyBefore);
  });

  it('fails closed, and says why, when the token cannot see the team', async (test) => {
    const w = await world(test);
    const { n, request } = await toOffboarding(w, WITHOUT_ACCOUNT_TEAM, ['migration-complete', 'workload-ready', 'follow-up-sent']);
    w.gh.setTeamVisibility(false);
    await w.comment(request, '/queue-moved', ASSIGNER);
    await w.deliver();
    const refusal = w.issue(request).comments.at(-1)?.body ?? '';
    expect(refusal).toContain("token cannot read the members of `contoso-ft/assignment`");
    expect(refusal).toContain("I don't accept a confirmation I can't check");
    expect(w.issue(n).body).not.toContain('confirmed_by');
    // Listing the member in the input is a check the bot can make.
    await w.comment(request, '/queue-moved', ASSIGNER);
    await w.deliver('in-process', { 'assignment-team-members': ASSIGNER });
    expect(w.issue(n).body).toContain('confirmed_by: assign-bob');
  });

  it('without a team configured, accepts a collaborator with write access only', async (test) => {
    const w = await world(test, { team: false });
    const inputs = { 'assignment-team': '' };
    const { n, request } = await toOffboarding(w, WITHOUT_ACCOUNT_TEAM, ['migration-complete', 'workload-ready', 'follow-up-sent'], inputs);
    await w.comment(request, '/queue-moved', OUTSIDER); // read access only
    await w.deliver('in-process', inputs);
    expect(w.issue(request).comments.at(-1)?.body).toContain('people with write access to `contoso-ft/engagements`); you have read access');
    await w.comment(request, '/queue-moved', ASSIGNER);
    await w.deliver('in-process', inputs);
    expect(w.issue(n).body).toContain('confirmed_by: assign-bob');
  });

  it('ignores its own comments and ordinary comments without any API call', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await w.deliver();
    await w.comment(n, 'Thanks, I will check with the customer.', FM);
    const [chat] = w.newEvents();
    w.gh.resetLog();
    const report = await w.runInProcess(chat as NonNullable<typeof chat>);
    expect(report.skipped).toContain('not a /queue-moved command');
    expect(w.gh.requests).toEqual([]);

    const own = { ...(chat as NonNullable<typeof chat>), payload: { ...(chat as NonNullable<typeof chat>).payload, comment: { id: 1, body: 'x\n\n<!-- engagement-bot:step/a/b -->', user: { login: BOT, type: 'Bot' } } } };
    expect((await w.runInProcess(own)).skipped).toBe('a comment by engagement-bot itself');
    expect(w.gh.requests).toEqual([]);
  });

  it('puts the FM back when unassigned before the queue move, and says why once', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await w.deliver();
    await w.addLabel(n, 'migration-complete');
    await w.deliver();
    await w.unassign(n, FM);
    await w.deliver();
    expect(w.issue(n).assignees).toEqual([FM]);
    expect(w.issue(n).comments.at(-1)?.body).toContain('I assigned you again');
  });

  it('opens the transfer request in another repository of the same owner as a sub-issue', async (test) => {
    const w = await world(test);
    w.gh.addRepo('contoso-ft/assignments');
    const inputs = { 'assignment-repo': 'contoso-ft/assignments' };
    const { n } = await toOffboarding(w, WITHOUT_ACCOUNT_TEAM, ['migration-complete', 'workload-ready', 'follow-up-sent'], inputs);
    const [request] = w.gh.issues('contoso-ft/assignments');
    expect(request?.parent).toEqual({ repo: w.repo, number: n });
    expect(w.issue(n).body).toContain(`request: contoso-ft/assignments#${request?.number}`);
  });

  it('a replay of every event of a finished engagement writes nothing', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    const events: StandInEvent[] = [];
    const deliver = async () => {
      const fresh = w.newEvents();
      events.push(...fresh);
      for (const e of fresh) await w.runInProcess(e);
    };
    await deliver();
    for (const label of ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4060-done']) {
      await w.addLabel(n, label);
      await deliver();
    }
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', ASSIGNER);
    await deliver();
    expect(w.issue(n).state).toBe('closed');

    const snapshot = JSON.stringify([w.issue(n), w.issue(request), w.gh.issues(w.repo).length]);
    w.gh.resetLog();
    for (const e of events) await w.runInProcess(e);
    expect(w.gh.writes()).toEqual([]);
    expect(JSON.stringify([w.issue(n), w.issue(request), w.gh.issues(w.repo).length])).toBe(snapshot);
  });
});
