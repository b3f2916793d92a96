// Exactly one transfer request, and no confirmation lost, whatever the timing: requests that
// overlapping runs both opened converge on the oldest, a command on any of them counts, a command
// behind more than a hundred newer comments is still found, and a request that cannot be opened
// says where and what the token needs. Every run under test is dist/index.js, as on a runner.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it, type TestContext } from 'vitest';
import { markersIn } from '../src/process/markers.js';
import type { StandInEvent } from './support/github-standin/index.js';
import { ASSIGNER, BOT, OUTSIDER, WITHOUT_ACCOUNT_TEAM, frontMatter, runDist, type TestWorld } from './support/harness.js';
import { stateOf, walk, world } from './support/scenarios.js';

const TO_FOLLOW_UP = ['migration-complete', 'workload-not-ready'];

/** The scheduled run, as the schedule workflow runs it. */
const scanByDist = (w: TestWorld) => runDist(w.gh.url, w.repo, 'schedule', {}, w.inputs());

/** The bot's messages on an issue, by their key. */
const keysOn = (w: TestWorld, n: number) => w.issue(n).comments.filter((c) => c.author === BOT).map((c) => markersIn(c.body)[0] ?? '?');

/** The transfer requests of an engagement: its sub-issues, oldest first. */
const requestsOf = (w: TestWorld, n: number) => w.issue(n).subIssues.map((r) => w.issue(r.number)).sort((a, b) => a.number - b.number);

/**
 * The race the issue describes: the scan repairs the drift of a `follow-up-sent` whose event is
 * late, and is held between its read and its first write while the label's own event runs to the
 * end (through dist/index.js) and opens a request. Then the scan opens a second one.
 */
async function twoRequests(test: TestContext): Promise<{ w: TestWorld; n: number; kept: number; twin: number }> {
  const w = await world(test);
  w.defineLabels();
  const n = await walk(w, frontMatter(WITHOUT_ACCOUNT_TEAM), TO_FOLLOW_UP);
  await w.addLabel(n, 'follow-up-sent');
  const late = w.newEvents().at(-1) as StandInEvent;
  const scan = w.startHeld(null, 1); // held after its read, before it opens its request
  await scan.held;
  expect((await w.runDist(late)).code).toBe(0);
  scan.release();
  await scan.done;
  const requests = requestsOf(w, n);
  expect(requests.filter((r) => r.state === 'open')).toHaveLength(2);
  return { w, n, kept: requests[0]?.number as number, twin: requests[1]?.number as number };
}

describe.concurrent('two transfer requests opened by overlapping runs', () => {
  it('a /queue-moved on the newer one counts, is answered there, and the newer one is closed as a duplicate of the older (dist/index.js)', async (test) => {
    const { w, n, kept, twin } = await twoRequests(test);
    await w.comment(twin, '/queue-moved', ASSIGNER);
    await w.deliver('dist');

    expect(stateOf(w, n).transfer).toMatchObject({ request: `#${kept}`, confirmed_by: ASSIGNER });
    // The receipt where the team wrote, and a note there saying which request stays.
    expect(keysOn(w, twin)).toEqual(expect.arrayContaining([expect.stringMatching(/^reply\//), `transfer-duplicate/${w.repo}#${kept}`]));
    const note = w.issue(twin).comments.find((c) => c.body.includes('transfer-duplicate/'))?.body ?? '';
    expect(note).toContain(`in favour of [#${kept}]`);
    expect(w.issue(twin)).toMatchObject({ state: 'closed', stateReason: 'duplicate' });
    expect(w.issue(kept).state).toBe('open');

    // Completion closes the one kept; nothing is left open.
    await w.addLabel(n, 'task-4060-done');
    await w.deliver('dist');
    expect(w.issue(n)).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(w.issue(kept)).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(requestsOf(w, n).filter((r) => r.state === 'open')).toEqual([]);
  });

  it('the next run that sees both keeps the oldest, even with no command: the engagement’s next event (dist/index.js)', async (test) => {
    const { w, n, kept, twin } = await twoRequests(test);
    await w.addLabel(n, 'task-4060-done');
    await w.deliver('dist');
    expect(w.issue(twin)).toMatchObject({ state: 'closed', stateReason: 'duplicate' });
    expect(w.issue(kept).state).toBe('open');
    expect(stateOf(w, n).transfer?.request).toBe(`#${kept}`);
    // Once: a second run changes nothing on either.
    await w.editBody(n, `${w.issue(n).body}\nA note.\n`);
    w.gh.resetLog();
    await w.deliver('dist');
    expect(keysOn(w, twin).filter((k) => k.startsWith('transfer-duplicate/'))).toHaveLength(1);
    expect(w.gh.writes().filter((r) => r.actor === BOT)).toEqual([]);
  });

  it('the scan answers a /queue-moved on the duplicate whose event was dropped (dist/index.js)', async (test) => {
    const { w, n, kept, twin } = await twoRequests(test);
    await w.comment(twin, '/queue-moved', ASSIGNER);
    w.newEvents(); // dropped
    expect((await scanByDist(w)).code).toBe(0);
    expect(stateOf(w, n).transfer?.confirmed_by).toBe(ASSIGNER);
    expect(keysOn(w, twin).some((k) => k.startsWith('reply/'))).toBe(true);
    expect(w.issue(twin).stateReason).toBe('duplicate');
    expect(w.issue(kept).state).toBe('open');
  });
});

describe.concurrent('a /queue-moved behind 120 newer comments on the transfer request', () => {
  /** At the handoff step; the team's command on the request, its event dropped; then 120 comments by others. */
  async function buried(test: TestContext): Promise<{ w: TestWorld; n: number; request: number; command: StandInEvent }> {
    const w = await world(test);
    w.defineLabels();
    const n = await walk(w, frontMatter(WITHOUT_ACCOUNT_TEAM), [...TO_FOLLOW_UP, 'follow-up-sent']);
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', ASSIGNER);
    const command = w.newEvents().at(-1) as StandInEvent;
    const start = Date.now() + 1000;
    for (let i = 0; i < 120; i++) w.gh.seedComment(w.repo, request, { author: OUTSIDER, body: `Note ${i + 1} on the move.`, createdAt: new Date(start + i * 1000) });
    expect(w.issue(request).comments.length).toBeGreaterThan(120);
    return { w, n, request, command };
  }

  const receiptOn = (w: TestWorld, request: number) => keysOn(w, request).filter((k) => k.startsWith('reply/'));

  it('is honoured by the engagement’s next event (dist/index.js)', async (test) => {
    const { w, n, request } = await buried(test);
    await w.addLabel(n, 'task-4060-done');
    await w.deliver('dist');
    expect(stateOf(w, n)).toMatchObject({ step: 'completed', transfer: { confirmed_by: ASSIGNER } });
    expect(receiptOn(w, request)).toHaveLength(1);
  });

  it('is honoured by its own late event (dist/index.js)', async (test) => {
    const { w, n, request, command } = await buried(test);
    expect((await w.runDist(command)).code).toBe(0);
    expect(stateOf(w, n).transfer?.confirmed_by).toBe(ASSIGNER);
    expect(receiptOn(w, request)).toHaveLength(1);
  });

  it('is honoured by the scan (dist/index.js)', async (test) => {
    const { w, n, request } = await buried(test);
    expect((await scanByDist(w)).code).toBe(0);
    expect(stateOf(w, n).transfer?.confirmed_by).toBe(ASSIGNER);
    expect(receiptOn(w, request)).toHaveLength(1);
  });
});

describe.concurrent('a transfer request that cannot be opened', () => {
  /** At follow-up, `follow-up-sent` added; returns its event. */
  async function opening(w: TestWorld): Promise<{ n: number; event: StandInEvent }> {
    w.defineLabels();
    const n = await walk(w, frontMatter(WITHOUT_ACCOUNT_TEAM), TO_FOLLOW_UP);
    await w.addLabel(n, 'follow-up-sent');
    return { n, event: w.newEvents().at(-1) as StandInEvent };
  }

  const errorLine = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::error::')).join('\n').replace(/%0A/g, '\n');

  it('GitHub refusing the write (GraphQL FORBIDDEN): the run names the write, the repository, and the permission and token it needs (dist/index.js)', async (test) => {
    const w = await world(test);
    const { n, event } = await opening(w);
    w.gh.fault({ kind: 'graphql-error', field: 'createIssue', type: 'FORBIDDEN', message: 'Resource not accessible by integration', actor: BOT });
    const run = await w.runDist(event);
    expect(run.code).not.toBe(0);
    const error = errorLine(run.stdout);
    expect(error).toContain(`opening the transfer request in ${w.repo}: FORBIDDEN: Resource not accessible by integration`);
    expect(error).toContain(`the token needs \`issues: write\` on ${w.repo}`);
    expect(error).toContain('GitHub App installation token');
    expect(w.issue(n).subIssues).toEqual([]);
    // Nothing lost: the next run, with access back, opens it.
    w.gh.clearFaults();
    expect((await w.runDist(event)).code).toBe(0);
    expect(w.issue(n).subIssues).toHaveLength(1);
  });

  it('an HTTP 403 on the request: the same message (dist/index.js)', async (test) => {
    const w = await world(test);
    const { event } = await opening(w);
    w.gh.fault({ graphql: 'mutation', kind: 'status', status: 403, actor: BOT, times: Infinity });
    const run = await w.runDist(event);
    expect(run.code).not.toBe(0);
    expect(errorLine(run.stdout)).toMatch(new RegExp(`opening the transfer request in ${w.repo}: HTTP 403: Resource not accessible by integration[\\s\\S]*issues: write`));
  });

  it('an assignment repository that does not exist: the run names it and says to check assignment-repo (dist/index.js)', async (test) => {
    const w = await world(test);
    const { event } = await opening(w);
    const run = await w.runDist(event, { 'assignment-repo': 'contoso-ft/no-such-repo' });
    expect(run.code).not.toBe(0);
    const error = errorLine(run.stdout);
    expect(error).toContain('opening the transfer request in contoso-ft/no-such-repo: HTTP 404: Not Found');
    expect(error).toContain('check the `assignment-repo` input');
  });
});

describe('a playbook step naming a template that exists nowhere', () => {
  it('stops the run before any API call, naming the playbook file, the step and its line (dist/index.js)', async (test) => {
    const w = await world(test);
    const checkout = mkdtempSync(join(tmpdir(), 'engagement-bot-checkout-'));
    test.onTestFinished(() => rmSync(checkout, { recursive: true, force: true }));
    mkdirSync(join(checkout, '.github'));
    const text = readFileSync(new URL('../playbooks/migration.yml', import.meta.url), 'utf8')
      .replace(/^playbook: migration$/m, 'playbook: contoso-completion')
      .replace('    message: step-discussion\n', '    message: step-our-discussion\n');
    const line = text.split('\n').indexOf('    message: step-our-discussion') + 1;
    writeFileSync(join(checkout, '.github', 'playbook.yml'), text);
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    const event = w.newEvents().at(-1) as StandInEvent;
    w.gh.resetLog();
    const run = await runDist(w.gh.url, w.repo, event.name, event.payload, { 'github-token': w.gh.tokenFor(BOT), playbook: '.github/playbook.yml' }, { env: { GITHUB_WORKSPACE: checkout } });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(`.github/playbook.yml, step \`discussion\`, message (line ${line}, column 5): template \`step-our-discussion\` has no file en/step-our-discussion.md.hbs or pt-BR/step-our-discussion.md.hbs`);
    expect(w.gh.requests).toEqual([]);
    expect(w.issue(n).comments).toEqual([]);
  });
});
