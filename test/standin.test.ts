// Tests of the GitHub stand-in (test/support/github-standin) through real Octokit clients over HTTP.
import { getOctokit } from '@actions/github';
import { Octokit } from '@octokit/rest';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn, type StandInEvent } from './support/github-standin/index.js';

const REPO = 'acme/tickets';
const BOT = 'engagement-bot[bot]';
const T0 = new Date('2026-11-25T10:00:00Z');

let gh: GitHubStandIn;
let clock: Date;
let botToken: string;
let aliceToken: string;
let bot: Octokit;
let alice: Octokit;

function tick(minutes = 1): Date {
  clock = new Date(clock.getTime() + minutes * 60_000);
  return clock;
}

/** The RequestError (or other error) a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string; response?: { data: unknown; headers: Record<string, unknown> } }> {
  try {
    await promise;
  } catch (err) {
    return err as { status: number; message: string };
  }
  throw new Error('expected the request to fail');
}

// @octokit/rest logs every failed request; the failures here are deliberate.
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const names = (events: StandInEvent[]) => events.map((e) => `${e.name}.${e.action}`);

beforeEach(async () => {
  clock = T0;
  gh = await startGitHubStandIn({ now: () => clock });
  botToken = gh.addUser(BOT, { type: 'Bot' });
  aliceToken = gh.addUser('alice');
  gh.addUser('bob');
  gh.addRepo(REPO);
  gh.addCollaborator(REPO, 'alice', 'maintain');
  gh.addLabelDefinition(REPO, 'Bug', 'd73a4a', "Something isn't working");
  bot = new Octokit({ auth: botToken, baseUrl: gh.url, log: quiet });
  alice = new Octokit({ auth: aliceToken, baseUrl: gh.url, log: quiet });
});

afterEach(async () => {
  await gh.close();
});

describe('issues over REST', () => {
  it('creates, reads and patches an issue with GitHub-shaped JSON, timestamps and events', async () => {
    const created = await bot.rest.issues.create({
      owner: 'acme',
      repo: 'tickets',
      title: 'Engagement: Contoso',
      body: 'first body',
      labels: ['bug', 'engagement'],
      assignees: ['alice'],
    });
    expect(created.status).toBe(201);
    const issue = created.data;
    expect(issue).toMatchObject({
      number: 1,
      title: 'Engagement: Contoso',
      body: 'first body',
      state: 'open',
      state_reason: null,
      html_url: 'https://github.com/acme/tickets/issues/1',
      url: `${gh.url}/repos/acme/tickets/issues/1`,
      repository_url: `${gh.url}/repos/acme/tickets`,
      comments: 0,
      created_at: '2026-11-25T10:00:00Z',
      updated_at: '2026-11-25T10:00:00Z',
      closed_at: null,
      author_association: 'NONE',
      sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
      user: { login: BOT, type: 'Bot', site_admin: false, html_url: 'https://github.com/apps/engagement-bot' },
      assignee: { login: 'alice', type: 'User' },
    });
    expect(issue.labels).toEqual([
      expect.objectContaining({ name: 'Bug', color: 'd73a4a', description: "Something isn't working", default: false }),
      expect.objectContaining({ name: 'engagement', color: 'ededed' }),
    ]);
    expect(issue.id).toBe(gh.issue(REPO, 1).id);
    expect(issue.node_id).toMatch(/^I_/);
    expect(names(gh.takeEvents())).toEqual(['label.created', 'issues.opened', 'issues.labeled', 'issues.labeled', 'issues.assigned']);

    tick(5);
    const got = await alice.rest.issues.get({ owner: 'acme', repo: 'tickets', issue_number: 1 });
    expect(got.data).toEqual(issue);

    const patched = await alice.rest.issues.update({
      owner: 'acme',
      repo: 'tickets',
      issue_number: 1,
      title: 'Engagement: Contoso Ltd',
      body: 'second body',
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(patched.data).toMatchObject({
      title: 'Engagement: Contoso Ltd',
      state: 'closed',
      state_reason: 'not_planned',
      updated_at: '2026-11-25T10:05:00Z',
      closed_at: '2026-11-25T10:05:00Z',
      closed_by: { login: 'alice' },
    });
    const events = gh.takeEvents();
    expect(names(events)).toEqual(['issues.edited', 'issues.closed']);
    expect(events[0]?.payload).toMatchObject({
      action: 'edited',
      changes: { title: { from: 'Engagement: Contoso' }, body: { from: 'first body' } },
      issue: { body: 'second body' },
      sender: { login: 'alice' },
      repository: { full_name: REPO, name: 'tickets', owner: { login: 'acme', type: 'Organization' } },
    });
    expect(events.every((e) => e.actor === 'alice' && e.repo === REPO)).toBe(true);

    const view = gh.issue(REPO, 1);
    expect(view).toMatchObject({ state: 'closed', stateReason: 'not_planned', author: BOT, labels: ['Bug', 'engagement'] });
    expect(view.updatedAt).toEqual(new Date('2026-11-25T10:05:00Z'));

    tick();
    await alice.rest.issues.update({ owner: 'acme', repo: 'tickets', issue_number: 1, state: 'open' });
    expect(gh.issue(REPO, 1)).toMatchObject({ state: 'open', stateReason: 'reopened', closedAt: null });
    expect(names(gh.takeEvents())).toEqual(['issues.reopened']);
  });

  it('replaces labels and assignees with PATCH, emitting one event per change', async () => {
    const n = gh.seedIssue(REPO, { title: 't', body: 'b', author: 'bob', labels: ['a', 'b'], assignees: ['alice'] });
    expect(gh.events).toEqual([]); // seeding is silent
    await bot.rest.issues.update({ owner: 'acme', repo: 'tickets', issue_number: n, labels: ['B', 'c'], assignees: ['bob'] });
    const events = gh.takeEvents();
    expect(names(events)).toEqual(['label.created', 'issues.unlabeled', 'issues.labeled', 'issues.unassigned', 'issues.assigned']);
    expect(events[1]?.payload).toMatchObject({ label: { name: 'a' } });
    expect(events[2]?.payload).toMatchObject({ label: { name: 'c' } });
    expect(events[3]?.payload).toMatchObject({ assignee: { login: 'alice' } });
    expect(events[4]?.payload).toMatchObject({ assignee: { login: 'bob' } });
    expect(gh.issue(REPO, n)).toMatchObject({ labels: ['b', 'c'], assignees: ['bob'] });
  });

  it('adds and removes labels case-insensitively with labeled/unlabeled events', async () => {
    const n = gh.seedIssue(REPO, { title: 't', body: 'b', author: 'alice', labels: ['bug'] });
    tick();
    const added = await bot.rest.issues.addLabels({ owner: 'acme', repo: 'tickets', issue_number: n, labels: ['BUG', 'needs-triage'] });
    expect(added.status).toBe(200);
    expect(added.data.map((l) => l.name)).toEqual(['Bug', 'needs-triage']);
    let events = gh.takeEvents();
    expect(names(events)).toEqual(['label.created', 'issues.labeled']);
    expect(events[1]).toMatchObject({ actor: BOT, payload: { label: { name: 'needs-triage' }, sender: { login: BOT, type: 'Bot' } } });
    expect(gh.issue(REPO, n).updatedAt).toEqual(clock);

    const removed = await bot.rest.issues.removeLabel({ owner: 'acme', repo: 'tickets', issue_number: n, name: 'Needs-Triage' });
    expect(removed.data.map((l) => l.name)).toEqual(['Bug']);
    events = gh.takeEvents();
    expect(names(events)).toEqual(['issues.unlabeled']);
    expect(events[0]?.payload).toMatchObject({ label: { name: 'needs-triage' }, issue: { labels: [{ name: 'Bug' }] } });

    const missing = await failure(bot.rest.issues.removeLabel({ owner: 'acme', repo: 'tickets', issue_number: n, name: 'nope' }));
    expect(missing.status).toBe(404);
    expect(missing.response?.data).toMatchObject({ message: 'Label does not exist' });

    // A label name with a space and a slash survives URL encoding.
    await bot.rest.issues.addLabels({ owner: 'acme', repo: 'tickets', issue_number: n, labels: ['state: done/ok'] });
    await bot.rest.issues.removeLabel({ owner: 'acme', repo: 'tickets', issue_number: n, name: 'state: done/ok' });
    expect(gh.issue(REPO, n).labels).toEqual(['Bug']);
  });

  it('adds and removes assignees, ignoring unknown users', async () => {
    const n = gh.seedIssue(REPO, { title: 't', body: 'b', author: 'alice' });
    const added = await bot.rest.issues.addAssignees({ owner: 'acme', repo: 'tickets', issue_number: n, assignees: ['alice', 'ghost'] });
    expect(added.status).toBe(201);
    expect(added.data.assignees?.map((u) => u.login)).toEqual(['alice']);
    let events = gh.takeEvents();
    expect(names(events)).toEqual(['issues.assigned']);
    expect(events[0]?.payload).toMatchObject({ assignee: { login: 'alice' }, sender: { login: BOT } });

    const removed = await bot.rest.issues.removeAssignees({ owner: 'acme', repo: 'tickets', issue_number: n, assignees: ['alice'] });
    expect(removed.status).toBe(200);
    expect(removed.data.assignees).toEqual([]);
    events = gh.takeEvents();
    expect(names(events)).toEqual(['issues.unassigned']);
    expect(events[0]?.payload).toMatchObject({ assignee: { login: 'alice' } });
  });

  it('answers 404, 422, 401 and 400 with GitHub-shaped bodies', async () => {
    const absent = await failure(bot.rest.issues.get({ owner: 'acme', repo: 'tickets', issue_number: 99 }));
    expect(absent.status).toBe(404);
    expect(absent.response?.data).toMatchObject({ message: 'Not Found', documentation_url: expect.any(String) });
    expect((await failure(bot.rest.issues.createComment({ owner: 'acme', repo: 'nope', issue_number: 1, body: 'x' }))).status).toBe(404);

    const long = 'x'.repeat(65537);
    const tooLong = await failure(bot.rest.issues.create({ owner: 'acme', repo: 'tickets', title: 't', body: long }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.response?.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
    });
    // 65536 astral characters are 131072 UTF-16 units but still within GitHub's limit.
    const emoji = await bot.rest.issues.create({ owner: 'acme', repo: 'tickets', title: 't', body: '😀'.repeat(65536) });
    expect(emoji.status).toBe(201);
    const commentTooLong = await failure(bot.rest.issues.createComment({ owner: 'acme', repo: 'tickets', issue_number: 1, body: long }));
    expect(commentTooLong.status).toBe(422);

    const badAssignee = await failure(bot.rest.issues.create({ owner: 'acme', repo: 'tickets', title: 't', assignees: ['ghost'] }));
    expect(badAssignee.status).toBe(422);
    expect(badAssignee.response?.data).toMatchObject({
      errors: [{ resource: 'Issue', field: 'assignees', code: 'invalid', value: 'ghost' }],
    });

    const noTitle = await fetch(`${gh.url}/repos/acme/tickets/issues`, {
      method: 'POST',
      headers: { authorization: `token ${botToken}` },
      body: JSON.stringify({ body: 'no title' }),
    });
    expect(noTitle.status).toBe(422);

    const dupLabel = await failure(bot.rest.issues.createLabel({ owner: 'acme', repo: 'tickets', name: 'BUG', color: '000000' }));
    expect(dupLabel.status).toBe(422);
    expect(dupLabel.response?.data).toMatchObject({ errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] });

    const badToken = await failure(new Octokit({ auth: 'nope', baseUrl: gh.url, log: quiet }).rest.issues.get({ owner: 'acme', repo: 'tickets', issue_number: 1 }));
    expect(badToken.status).toBe(401);
    expect(badToken.response?.data).toMatchObject({ message: 'Bad credentials' });
    expect((await fetch(`${gh.url}/repos/acme/tickets`)).status).toBe(401);

    const badJson = await fetch(`${gh.url}/repos/acme/tickets/issues`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ message: 'Problems parsing JSON' });

    const unknownRoute = await fetch(`${gh.url}/repos/acme/tickets/pulls`, { headers: { authorization: `token ${botToken}` } });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(gh.issues(REPO)).toHaveLength(1); // only the emoji issue was created
  });

  it('paginates with Link headers: octokit.paginate reads 250 issues in 3 requests', async () => {
    for (let i = 0; i < 250; i++) {
      gh.seedIssue(REPO, { title: `issue ${i}`, body: '', author: 'alice', createdAt: new Date(T0.getTime() + i * 1000) });
    }
    gh.resetLog();
    const all = await bot.paginate(bot.rest.issues.listForRepo, { owner: 'acme', repo: 'tickets', per_page: 100 });
    expect(all).toHaveLength(250);
    expect(all[0]?.number).toBe(250); // created desc by default
    expect(all[249]?.number).toBe(1);
    expect(new Set(all.map((i) => i.number)).size).toBe(250);
    expect(gh.requests.map((r) => `${r.method} ${r.path} ${r.query.page ?? '-'} ${r.status}`)).toEqual([
      'GET /repos/acme/tickets/issues - 200',
      'GET /repos/acme/tickets/issues 2 200',
      'GET /repos/acme/tickets/issues 3 200',
    ]);

    const page2 = await bot.rest.issues.listForRepo({ owner: 'acme', repo: 'tickets', per_page: 100, page: 2, direction: 'asc' });
    const link = (page: number, rel: string) => `<${gh.url}/repos/acme/tickets/issues?per_page=100&page=${page}&direction=asc>; rel="${rel}"`;
    expect(page2.headers.link).toBe([link(1, 'prev'), link(3, 'next'), link(3, 'last'), link(1, 'first')].join(', '));
    expect(page2.data[0]?.number).toBe(101);
    const single = await bot.rest.issues.listForRepo({ owner: 'acme', repo: 'tickets', per_page: 100, page: 3 });
    expect(single.data).toHaveLength(50);
    expect(single.headers.link).not.toContain('rel="next"');
  });

  it('filters issue lists by state, labels (all must match), since and sort', async () => {
    gh.seedIssue(REPO, { title: 'a', body: '', author: 'alice', labels: ['x', 'y'], updatedAt: new Date('2026-11-20T00:00:00Z') });
    gh.seedIssue(REPO, { title: 'b', body: '', author: 'alice', labels: ['x'], updatedAt: new Date('2026-11-22T00:00:00Z') });
    gh.seedIssue(REPO, { title: 'c', body: '', author: 'alice', labels: ['X', 'y'], state: 'closed' });
    const list = async (params: Record<string, string>) =>
      (await bot.request('GET /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'tickets', ...params })).data.map((i: { title: string }) => i.title);
    expect(await list({})).toEqual(['b', 'a']);
    expect(await list({ state: 'all', labels: 'x,Y' })).toEqual(['c', 'a']);
    expect(await list({ state: 'closed' })).toEqual(['c']);
    expect(await list({ since: '2026-11-21T00:00:00Z', sort: 'updated', direction: 'asc', state: 'all' })).toEqual(['b', 'c']);
  });
});

describe('comments over REST', () => {
  it('creates comments with events from the right sender, and edits them with changes.body.from', async () => {
    const n = gh.seedIssue(REPO, { title: 't', body: 'b', author: 'alice' });
    tick(2);
    const { data: comment, status } = await bot.rest.issues.createComment({ owner: 'acme', repo: 'tickets', issue_number: n, body: 'hello' });
    expect(status).toBe(201);
    expect(comment).toMatchObject({
      body: 'hello',
      user: { login: BOT, type: 'Bot' },
      created_at: '2026-11-25T10:02:00Z',
      html_url: `https://github.com/acme/tickets/issues/${n}#issuecomment-${comment.id}`,
      issue_url: `${gh.url}/repos/acme/tickets/issues/${n}`,
      url: `${gh.url}/repos/acme/tickets/issues/comments/${comment.id}`,
    });
    expect(gh.issue(REPO, n).updatedAt).toEqual(clock);
    let events = gh.takeEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      name: 'issue_comment',
      action: 'created',
      actor: BOT,
      repo: REPO,
      payload: { action: 'created', comment: { id: comment.id, body: 'hello' }, issue: { number: n, comments: 1 }, sender: { login: BOT, type: 'Bot' } },
    });

    tick();
    await alice.rest.issues.updateComment({ owner: 'acme', repo: 'tickets', comment_id: comment.id, body: 'hello, edited' });
    events = gh.takeEvents();
    expect(events[0]).toMatchObject({
      name: 'issue_comment',
      action: 'edited',
      actor: 'alice',
      payload: { changes: { body: { from: 'hello' } }, comment: { body: 'hello, edited', updated_at: '2026-11-25T10:03:00Z' } },
    });
    const read = await bot.rest.issues.getComment({ owner: 'acme', repo: 'tickets', comment_id: comment.id });
    expect(read.data.body).toBe('hello, edited');

    await bot.rest.issues.deleteComment({ owner: 'acme', repo: 'tickets', comment_id: comment.id });
    expect(names(gh.takeEvents())).toEqual(['issue_comment.deleted']);
    expect(gh.issue(REPO, n).comments).toEqual([]);
    expect((await failure(bot.rest.issues.getComment({ owner: 'acme', repo: 'tickets', comment_id: comment.id }))).status).toBe(404);
  });

  it('lists repository-wide comments filtered by since (updated_at), oldest first', async () => {
    const a = gh.seedIssue(REPO, { title: 'a', body: '', author: 'alice' });
    const b = gh.seedIssue(REPO, { title: 'b', body: '', author: 'alice' });
    gh.seedComment(REPO, a, { author: 'alice', body: 'old', createdAt: new Date('2026-11-01T00:00:00Z') });
    gh.seedComment(REPO, b, { author: 'bob', body: 'new-b', createdAt: new Date('2026-11-24T00:00:00Z') });
    gh.seedComment(REPO, a, { author: 'bob', body: 'new-a', createdAt: new Date('2026-11-24T12:00:00Z') });
    const { data } = await bot.rest.issues.listCommentsForRepo({ owner: 'acme', repo: 'tickets', since: '2026-11-10T00:00:00Z' });
    expect(data.map((c) => c.body)).toEqual(['new-b', 'new-a']);
    expect(data.map((c) => c.issue_url.split('/').pop())).toEqual([String(b), String(a)]);
    const all = await bot.paginate(bot.rest.issues.listCommentsForRepo, { owner: 'acme', repo: 'tickets', per_page: 2 });
    expect(all.map((c) => c.body)).toEqual(['old', 'new-b', 'new-a']);
    const perIssue = await bot.rest.issues.listComments({ owner: 'acme', repo: 'tickets', issue_number: a });
    expect(perIssue.data.map((c) => c.body)).toEqual(['old', 'new-a']);
  });
});

describe('GraphQL', () => {
  it('reads an issue with labels, assignees, the last comments and typed authors via getOctokit', async () => {
    const n = gh.seedIssue(REPO, { title: 'Engagement', body: 'body', author: BOT, labels: ['bug', 'state: open'], assignees: ['alice'] });
    gh.seedComment(REPO, n, { author: 'alice', body: 'one', createdAt: new Date('2026-11-25T10:01:00Z') });
    gh.seedComment(REPO, n, { author: BOT, body: 'two', createdAt: new Date('2026-11-25T10:02:00Z') });
    gh.seedComment(REPO, n, { author: 'bob', body: 'three', createdAt: new Date('2026-11-25T10:03:00Z') });
    const octokit = getOctokit(botToken, { baseUrl: gh.url });
    const result = await octokit.graphql<{
      viewer: { login: string };
      repository: { issue: Record<string, unknown> & { comments: { nodes: Array<{ body: string; author: { __typename: string; login: string } }> } } };
    }>(
      `query Read($owner: String!, $name: String!, $number: Int!) {
        viewer { login }
        repository(owner: $owner, name: $name) {
          issue(number: $number) {
            id databaseId number title body state stateReason url createdAt updatedAt
            author { __typename login }
            labels(first: 10) { totalCount nodes { name color } }
            assignees(first: 10) { nodes { login } }
            comments(last: 2) { totalCount pageInfo { hasPreviousPage hasNextPage } nodes { body databaseId createdAt author { __typename login } } }
          }
        }
      }`,
      { owner: 'acme', name: 'tickets', number: n },
    );
    const view = gh.issue(REPO, n);
    expect(result.viewer.login).toBe(BOT);
    expect(result.repository.issue).toMatchObject({
      id: view.nodeId,
      databaseId: view.id,
      number: n,
      state: 'OPEN',
      stateReason: null,
      url: `https://github.com/acme/tickets/issues/${n}`,
      updatedAt: '2026-11-25T10:03:00Z',
      author: { __typename: 'Bot', login: 'engagement-bot' }, // GraphQL drops the [bot] suffix, as GitHub does
      labels: { totalCount: 2, nodes: [{ name: 'Bug', color: 'd73a4a' }, { name: 'state: open', color: 'ededed' }] },
      assignees: { nodes: [{ login: 'alice' }] },
      comments: { totalCount: 3, pageInfo: { hasPreviousPage: true, hasNextPage: false } },
    });
    expect(result.repository.issue.comments.nodes).toEqual([
      { body: 'two', databaseId: view.comments[1]?.id, createdAt: '2026-11-25T10:02:00Z', author: { __typename: 'Bot', login: 'engagement-bot' } },
      { body: 'three', databaseId: view.comments[2]?.id, createdAt: '2026-11-25T10:03:00Z', author: { __typename: 'User', login: 'bob' } },
    ]);
    const logged = gh.requests.at(-1);
    expect(logged).toMatchObject({ method: 'POST', path: '/graphql', write: false, graphql: { operation: 'query', name: 'Read', fields: ['viewer', 'repository'] } });
  });

  it('answers NOT_FOUND errors with a path, validation errors with HTTP 200, and requires pagination bounds', async () => {
    const octokit = getOctokit(botToken, { baseUrl: gh.url });
    const missingRepo = (await failure(octokit.graphql('{ repository(owner: "acme", name: "nope") { name } }'))) as unknown as {
      errors: Array<{ type: string; path: string[] }>;
      data: unknown;
    };
    expect(missingRepo.errors[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository'] });
    expect(missingRepo.data).toEqual({ repository: null });

    const missingIssue = (await failure(octokit.graphql('{ repository(owner: "acme", name: "tickets") { name issue(number: 7) { title } label(name: "none") { name } } }'))) as unknown as {
      errors: Array<{ type: string; path: unknown[] }>;
      data: unknown;
    };
    expect(missingIssue.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path: ['repository', 'issue'] })]);
    expect(missingIssue.data).toEqual({ repository: { name: 'tickets', issue: null, label: null } });

    const raw = await fetch(`${gh.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `bearer ${botToken}` },
      body: JSON.stringify({ query: '{ viewer { nope } }' }),
    });
    expect(raw.status).toBe(200);
    expect(((await raw.json()) as { errors: unknown[] }).errors).toHaveLength(1);

    gh.seedIssue(REPO, { title: 't', body: '', author: 'alice' });
    const unbounded = (await failure(octokit.graphql('{ repository(owner: "acme", name: "tickets") { issue(number: 1) { comments { totalCount } } } }'))) as unknown as {
      errors: Array<{ type: string }>;
      data: unknown;
    };
    expect(unbounded.errors[0]?.type).toBe('MISSING_PAGINATION_BOUNDARIES');
    expect(unbounded.data).toBeUndefined();
  });

  it('pages through repository issues with cursors, filters and ordering', async () => {
    for (let i = 1; i <= 5; i++) {
      gh.seedIssue(REPO, { title: `i${i}`, body: '', author: 'alice', labels: i % 2 ? ['odd'] : ['even'], state: i === 5 ? 'closed' : 'open', updatedAt: new Date(T0.getTime() - i * 60_000) });
    }
    const query = `query($after: String) { repository(owner: "acme", name: "tickets") {
      issues(first: 2, after: $after, states: [OPEN], orderBy: {field: UPDATED_AT, direction: DESC}) {
        totalCount pageInfo { hasNextPage endCursor } nodes { title }
      } } }`;
    type Page = { repository: { issues: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ title: string }> } } };
    const titles: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await bot.graphql<Page>(query, { after });
      expect(page.repository.issues.totalCount).toBe(4);
      titles.push(...page.repository.issues.nodes.map((n) => n.title));
      if (!page.repository.issues.pageInfo.hasNextPage) break;
      after = page.repository.issues.pageInfo.endCursor;
    }
    expect(titles).toEqual(['i1', 'i2', 'i3', 'i4']);
    const filtered = await bot.graphql<Page>(`{ repository(owner: "acme", name: "tickets") {
      issues(first: 10, labels: ["ODD"], filterBy: {since: "2026-11-25T09:56:30Z"}) { totalCount pageInfo { hasNextPage endCursor } nodes { title } } } }`);
    expect(filtered.repository.issues.nodes.map((n) => n.title)).toEqual(['i1', 'i3']);
  });

  it('createIssue with parentIssueId makes a sub-issue, visible over GraphQL and REST', async () => {
    const parentNumber = gh.seedIssue(REPO, { title: 'parent', body: '', author: 'alice' });
    const parent = gh.issue(REPO, parentNumber);
    const octokit = getOctokit(botToken, { baseUrl: gh.url });
    const ids = await octokit.graphql<{ repository: { id: string; label: { id: string } } }>(
      '{ repository(owner: "acme", name: "tickets") { id label(name: "bug") { id } } }',
    );
    const alice = await octokit.graphql<{ user: { id: string } }>('query { user(login: "alice") { id } }');
    tick(10);
    const created = await octokit.graphql<{ createIssue: { issue: { number: number; parent: { number: number } } } }>(
      `mutation Create($input: CreateIssueInput!) { createIssue(input: $input) { issue { number parent { number } } } }`,
      { input: { repositoryId: ids.repository.id, title: 'child', body: 'child body', labelIds: [ids.repository.label.id], assigneeIds: [alice.user.id], parentIssueId: parent.nodeId } },
    );
    const child = created.createIssue.issue.number;
    expect(created.createIssue.issue.parent.number).toBe(parentNumber);
    expect(gh.issue(REPO, child)).toMatchObject({ author: BOT, labels: ['Bug'], assignees: ['alice'], parent: { repo: REPO, number: parentNumber } });
    expect(gh.issue(REPO, parentNumber)).toMatchObject({ subIssues: [{ repo: REPO, number: child }], updatedAt: clock });
    expect(names(gh.takeEvents())).toEqual(['issues.opened', 'issues.labeled', 'issues.assigned']);
    expect(gh.requests.at(-1)).toMatchObject({ write: true, graphql: { operation: 'mutation', name: 'Create', fields: ['createIssue'] } });

    const viaGraphql = await octokit.graphql<{ repository: { issue: { subIssues: { totalCount: number; nodes: Array<{ number: number; title: string }> } } } }>(
      `query($n: Int!) { repository(owner: "acme", name: "tickets") { issue(number: $n) { subIssues(first: 50) { totalCount nodes { number title } } } } }`,
      { n: parentNumber },
    );
    expect(viaGraphql.repository.issue.subIssues).toEqual({ totalCount: 1, nodes: [{ number: child, title: 'child' }] });
    const viaRest = await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', { owner: 'acme', repo: 'tickets', issue_number: parentNumber });
    expect((viaRest.data as Array<{ number: number }>).map((i) => i.number)).toEqual([child]);
    const parentRest = await bot.rest.issues.get({ owner: 'acme', repo: 'tickets', issue_number: parentNumber });
    expect(parentRest.data.sub_issues_summary).toEqual({ total: 1, completed: 0, percent_completed: 0 });
    const up = await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/parent', { owner: 'acme', repo: 'tickets', issue_number: child });
    expect((up.data as { number: number }).number).toBe(parentNumber);

    // A bad node id fails the whole mutation and creates nothing.
    const bad = (await failure(
      octokit.graphql(`mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { number } } }`, {
        input: { repositoryId: ids.repository.id, title: 'x', parentIssueId: 'I_doesnotexist' },
      }),
    )) as unknown as { errors: Array<{ type: string; message: string; path: string[] }> };
    expect(bad.errors[0]).toMatchObject({ type: 'NOT_FOUND', message: "Could not resolve to a node with the global id of 'I_doesnotexist'", path: ['createIssue'] });
    // A parent in another owner's repository is refused, atomically.
    gh.addRepo('other/place');
    const foreign = gh.seedIssue('other/place', { title: 'foreign', body: '', author: 'bob' });
    const crossOwner = (await failure(
      octokit.graphql(`mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { number } } }`, {
        input: { repositoryId: ids.repository.id, title: 'x', parentIssueId: gh.issue('other/place', foreign).nodeId },
      }),
    )) as unknown as { errors: Array<{ type: string }> };
    expect(crossOwner.errors[0]?.type).toBe('UNPROCESSABLE');
    expect(gh.issues(REPO)).toHaveLength(2);
    expect(gh.takeEvents()).toEqual([]);
  });

  it('adds sub-issues over REST and refuses a second parent or another owner with 422', async () => {
    const p1 = gh.seedIssue(REPO, { title: 'p1', body: '', author: 'alice' });
    const p2 = gh.seedIssue(REPO, { title: 'p2', body: '', author: 'alice' });
    const c = gh.seedIssue(REPO, { title: 'c', body: '', author: 'alice' });
    const add = (parent: number, subId: number, repo = 'tickets') =>
      bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', { owner: 'acme', repo, issue_number: parent, sub_issue_id: subId });
    const res = await add(p1, gh.issue(REPO, c).id);
    expect(res.status).toBe(201);
    expect((res.data as { number: number }).number).toBe(p1);
    expect((await failure(add(p2, gh.issue(REPO, c).id))).status).toBe(422);
    gh.addRepo('other/place');
    const foreign = gh.seedIssue('other/place', { title: 'f', body: '', author: 'bob' });
    expect((await failure(add(p2, gh.issue('other/place', foreign).id))).status).toBe(422);
    expect((await failure(bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/parent', { owner: 'acme', repo: 'tickets', issue_number: p2 }))).status).toBe(404);
    expect(gh.issue(REPO, c).parent).toEqual({ repo: REPO, number: p1 });

    // GraphQL addSubIssue by URL moves the sub-issue when replaceParent is set.
    const moved = await bot.graphql<{ addSubIssue: { issue: { number: number }; subIssue: { number: number; parent: { number: number } } } }>(
      `mutation($p: ID!, $subUrl: String!) { addSubIssue(input: {issueId: $p, subIssueUrl: $subUrl, replaceParent: true}) {
        issue { number } subIssue { number parent { number } } } }`,
      { p: gh.issue(REPO, p2).nodeId, subUrl: `https://github.com/acme/tickets/issues/${c}` },
    );
    expect(moved.addSubIssue).toEqual({ issue: { number: p2 }, subIssue: { number: c, parent: { number: p2 } } });
    expect(gh.issue(REPO, p1).subIssues).toEqual([]);
    expect(gh.issue(REPO, p2).subIssues).toEqual([{ repo: REPO, number: c }]);
  });
});

describe('teams, permissions, labels', () => {
  it('answers team membership, and 404 when teams are not visible to the token', async () => {
    gh.addTeam('acme', 'fasttrack', ['alice', { login: 'bob', state: 'pending' }]);
    const team = await bot.rest.teams.getByName({ org: 'acme', team_slug: 'fasttrack' });
    expect(team.data).toMatchObject({ slug: 'fasttrack', organization: { login: 'acme' } });
    const m = (login: string) => bot.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'fasttrack', username: login });
    expect((await m('alice')).data).toMatchObject({ state: 'active', role: 'member' });
    expect((await m('BOB')).data).toMatchObject({ state: 'pending' });
    expect((await failure(m('carol'))).status).toBe(404);
    expect((await failure(bot.rest.teams.getByName({ org: 'acme', team_slug: 'nope' }))).status).toBe(404);
    gh.setTeamVisibility(false);
    expect((await failure(bot.rest.teams.getByName({ org: 'acme', team_slug: 'fasttrack' }))).status).toBe(404);
    expect((await failure(m('alice'))).status).toBe(404);
  });

  it('maps collaborator roles to permissions like GitHub', async () => {
    gh.addCollaborator(REPO, 'bob', 'triage');
    const perm = (username: string) => bot.rest.repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'tickets', username });
    expect((await perm('alice')).data).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'alice' } });
    expect((await perm('bob')).data).toMatchObject({ permission: 'read', role_name: 'triage' });
    expect((await perm(BOT)).data).toMatchObject({ permission: 'none', role_name: 'none' });
    expect((await failure(perm('nobody'))).status).toBe(404);
  });

  it('creates, reads and renames repository labels with label events', async () => {
    const created = await alice.rest.issues.createLabel({ owner: 'acme', repo: 'tickets', name: 'state: waiting', color: 'fbca04', description: 'waiting' });
    expect(created.status).toBe(201);
    const got = await alice.rest.issues.getLabel({ owner: 'acme', repo: 'tickets', name: 'STATE: WAITING' });
    expect(got.data).toMatchObject({ name: 'state: waiting', color: 'fbca04', description: 'waiting' });
    await alice.rest.issues.updateLabel({ owner: 'acme', repo: 'tickets', name: 'state: waiting', new_name: 'state: blocked', color: '000000' });
    expect((await failure(alice.rest.issues.getLabel({ owner: 'acme', repo: 'tickets', name: 'state: waiting' }))).status).toBe(404);
    const events = gh.takeEvents();
    expect(names(events)).toEqual(['label.created', 'label.edited']);
    expect(events[1]?.payload).toMatchObject({ changes: { name: { from: 'state: waiting' }, color: { from: 'fbca04' } }, label: { name: 'state: blocked' } });
    const all = await alice.paginate(alice.rest.issues.listLabelsForRepo, { owner: 'acme', repo: 'tickets' });
    expect(all.map((l) => l.name)).toEqual(['Bug', 'state: blocked']);
  });
});

describe('faults', () => {
  it('answers an injected 500 (no retry in @octokit/rest) without applying the request', async () => {
    gh.fault({ method: 'POST', path: '/repos/acme/tickets/issues', kind: 'status', status: 500 });
    const err = await failure(bot.rest.issues.create({ owner: 'acme', repo: 'tickets', title: 't' }));
    expect(err.status).toBe(500);
    expect(err.response?.data).toEqual({ message: 'Server Error' });
    expect(gh.issues(REPO)).toEqual([]);
    expect(gh.requests.at(-1)).toMatchObject({ status: 500, write: true });
    // `times` defaults to 1: the next request goes through.
    expect((await bot.rest.issues.create({ owner: 'acme', repo: 'tickets', title: 't' })).status).toBe(201);
  });

  it('resets the connection: the client sees a fetch error and nothing changes', async () => {
    const n = gh.seedIssue(REPO, { title: 't', body: 'b', author: 'alice' });
    gh.fault({ path: /\/comments$/, kind: 'reset', times: Infinity });
    const err = await failure(bot.rest.issues.createComment({ owner: 'acme', repo: 'tickets', issue_number: n, body: 'x' }));
    expect(err.response).toBeUndefined(); // a network error, not an HTTP answer
    expect(err.message).not.toBe('Server Error');
    expect(gh.issue(REPO, n).comments).toEqual([]);
    expect(gh.requests.at(-1)).toMatchObject({ method: 'POST', status: 0 });
    await expect(fetch(`${gh.url}/repos/acme/tickets/issues/${n}/comments`, { headers: { authorization: `token ${botToken}` } })).rejects.toThrow();
    gh.clearFaults();
    expect((await bot.rest.issues.createComment({ owner: 'acme', repo: 'tickets', issue_number: n, body: 'x' })).status).toBe(201);
  });

  it('answers a secondary rate limit with 403 and retry-after, and can target GraphQL mutations only', async () => {
    gh.fault({ kind: 'secondary-rate-limit', retryAfter: 7, graphql: 'mutation' });
    const octokit = getOctokit(botToken, { baseUrl: gh.url });
    // A query does not match the rule.
    await expect(octokit.graphql('{ viewer { login } }')).resolves.toEqual({ viewer: { login: BOT } });
    const repoId = (await octokit.graphql<{ repository: { id: string } }>('{ repository(owner: "acme", name: "tickets") { id } }')).repository.id;
    const err = await failure(
      octokit.graphql('mutation($r: ID!) { createIssue(input: {repositoryId: $r, title: "t"}) { issue { number } } }', { r: repoId }),
    );
    expect(err.status).toBe(403);
    expect(err.response?.headers['retry-after']).toBe('7');
    expect(err.message).toMatch(/secondary rate limit/);
    expect(gh.issues(REPO)).toEqual([]);
    expect(gh.requests.at(-1)).toMatchObject({ status: 403, write: true, graphql: { operation: 'mutation' } });

    gh.fault({ method: 'GET', kind: 'secondary-rate-limit' });
    const rest = await failure(bot.rest.repos.get({ owner: 'acme', repo: 'tickets' }));
    expect(rest.status).toBe(403);
    expect(rest.response?.headers['retry-after']).toBe('1');
  });
});

describe('request log, rate-limit headers and payload shapes', () => {
  it('classifies reads and writes, including GraphQL queries and mutations', async () => {
    const n = gh.seedIssue(REPO, { title: 't', body: 'b', author: 'alice' });
    gh.resetLog();
    await bot.rest.issues.get({ owner: 'acme', repo: 'tickets', issue_number: n });
    await bot.rest.issues.createComment({ owner: 'acme', repo: 'tickets', issue_number: n, body: 'x' });
    await bot.rest.issues.update({ owner: 'acme', repo: 'tickets', issue_number: n, body: 'y' });
    await bot.graphql('query Q { viewer { login } }');
    await failure(bot.graphql('mutation M { addSubIssue(input: {issueId: "x", subIssueId: "y"}) { issue { number } } }'));
    expect(gh.requests.map((r) => [r.method, r.path, r.write, r.actor])).toEqual([
      ['GET', `/repos/acme/tickets/issues/${n}`, false, BOT],
      ['POST', `/repos/acme/tickets/issues/${n}/comments`, true, BOT],
      ['PATCH', `/repos/acme/tickets/issues/${n}`, true, BOT],
      ['POST', '/graphql', false, BOT],
      ['POST', '/graphql', true, BOT],
    ]);
    expect(gh.reads()).toHaveLength(2);
    expect(gh.writes().map((r) => r.graphql?.name ?? r.method)).toEqual(['POST', 'PATCH', 'M']);
    expect(gh.requests[0]?.at).toEqual(T0);
  });

  it('sends rate-limit headers with a decreasing remaining count', async () => {
    const a = await bot.rest.repos.get({ owner: 'acme', repo: 'tickets' });
    const b = await bot.rest.repos.get({ owner: 'acme', repo: 'tickets' });
    expect(a.data).toMatchObject({ full_name: REPO, name: 'tickets', private: false, owner: { login: 'acme' }, html_url: 'https://github.com/acme/tickets' });
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used']) {
      expect(Number(a.headers[h])).toBeGreaterThan(0);
    }
    expect(a.headers['x-ratelimit-resource']).toBe('core');
    expect(Number(b.headers['x-ratelimit-remaining'])).toBe(Number(a.headers['x-ratelimit-remaining']) - 1);
    const user = await alice.rest.users.getAuthenticated();
    expect(user.data.login).toBe('alice');
    expect((await failure(bot.rest.users.getAuthenticated())).status).toBe(403);
  });

  it('records no events when started with recordEvents: false', async () => {
    const quietGh = await startGitHubStandIn({ recordEvents: false });
    try {
      const token = quietGh.addUser('someone');
      quietGh.addRepo('acme/bench');
      const octokit = new Octokit({ auth: token, baseUrl: quietGh.url, log: quiet });
      await octokit.rest.issues.create({ owner: 'acme', repo: 'bench', title: 't', labels: ['x'] });
      expect(quietGh.issue('acme/bench', 1).labels).toEqual(['x']);
      expect(quietGh.events).toEqual([]);
    } finally {
      await quietGh.close();
    }
  });

  it('builds webhook payloads with the top-level keys of @octokit/webhooks-examples', async () => {
    const require = createRequire(import.meta.url);
    const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;
    const n = gh.seedIssue(REPO, { title: 't', body: 'b', author: 'alice' });
    await bot.rest.issues.addLabels({ owner: 'acme', repo: 'tickets', issue_number: n, labels: ['bug'] });
    await bot.rest.issues.createComment({ owner: 'acme', repo: 'tickets', issue_number: n, body: 'c' });
    for (const event of gh.takeEvents()) {
      const example = examples
        .find((e) => e.name === event.name)
        ?.examples.find((x) => x.action === event.action && 'organization' in x && !('installation' in x));
      expect(example, `${event.name}.${event.action}`).toBeDefined();
      expect(Object.keys(event.payload)).toEqual(Object.keys(example ?? {}));
      const issue = event.payload.issue as Record<string, unknown>;
      const exampleIssue = (example?.issue ?? {}) as Record<string, unknown>;
      expect(Object.keys(issue)).toEqual(expect.arrayContaining(Object.keys(exampleIssue).filter((k) => k !== 'draft')));
    }
  });
});
