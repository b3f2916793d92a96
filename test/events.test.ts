// Racing events against the GitHub stand-in, with the payloads people's actions really produce:
// late payloads, coalesced labels, replays, out-of-order labels and undo, hand edits of the bot's
// keys, the FM's assignment, and the bot's own events. Each test has its own world.
import { describe, expect, it } from 'vitest';
import type { StandInEvent } from './support/github-standin/index.js';
import { ASSIGNER, BOT, FM, OUTSIDER, WITHOUT_ACCOUNT_TEAM, WITH_ACCOUNT_TEAM, frontMatter, type TestWorld } from './support/harness.js';
import { NO_ATU_FIELDS, ASSIGNER as MODEL_ASSIGNER, attempt, body as modelBody, humanComment, labelled, observation, settle } from './support/model.js';
import type { EngagementRead as Observation } from '../src/process/engagement-read.js';
import { asBot, botComments, issueIn, botPostKinds, onlyTheLast, stateIn, stateOf, transferOf, walk, world } from './support/scenarios.js';

const ATU = frontMatter(WITH_ACCOUNT_TEAM);
const NO_ATU = frontMatter(WITHOUT_ACCOUNT_TEAM);
const TO_OFFBOARDING = ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent'];

/** Runs `events` again and expects nothing written and nothing a person can see changed. */
async function expectNoChange(w: TestWorld, events: StandInEvent[], times = 1): Promise<void> {
  const before = w.snapshot();
  w.gh.resetLog();
  for (let i = 0; i < times; i++) for (const e of events) await w.runInProcess(e);
  expect(w.gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([]);
  expect(w.snapshot()).toEqual(before);
}

/** Delivers every pending event and returns them, for replays later. */
async function deliverKeeping(w: TestWorld, log: StandInEvent[]): Promise<StandInEvent[]> {
  const fresh = w.newEvents();
  for (const e of fresh) await w.runInProcess(e);
  log.push(...fresh);
  return fresh;
}

describe.concurrent('late payloads', () => {
  it('a labeled payload from before the bot\'s last write does not undo that write', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement(ATU);
    const [opened] = w.newEvents();
    await w.runInProcess(opened as StandInEvent);
    await w.deliver();
    await w.addLabel(n, 'migration-complete');
    const [migrated] = w.newEvents();
    // Its copy of the body has the awaiting-migration state: older than what follows.
    expect(stateIn(issueIn(migrated as StandInEvent).body)?.step).toBe('awaiting-migration');
    await w.runInProcess(migrated as StandInEvent);
    await w.addLabel(n, 'account-team-notified');
    await w.deliver();
    expect(stateOf(w, n).step).toBe('discussion');

    await expectNoChange(w, [migrated as StandInEvent, opened as StandInEvent]);
    expect(stateOf(w, n).step).toBe('discussion');
  });

  it('a payload whose copy of the issue is stale or doctored is not trusted: the issue is read fresh', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete']);
    await w.addLabel(n, 'account-team-notified');
    const [event] = w.newEvents();
    await w.runInProcess(event as StandInEvent);
    const doctored = structuredClone(event as StandInEvent);
    const copy = issueIn(doctored);
    copy.body = w.issue(n).body.replace('step: discussion', 'step: completed').replace('task_4060: pending', 'task_4060: done');
    copy.labels = [];
    copy.state = 'closed';
    await expectNoChange(w, [doctored]);
    expect(stateOf(w, n)).toMatchObject({ step: 'discussion', task_4060: 'pending' });
  });

  it('an unlabeled payload delivered after the label came back does not move the engagement back', async (test) => {
    const w = await world(test);
    const n = await walk(w, NO_ATU, ['migration-complete', 'workload-ready']);
    const before = stateOf(w, n);
    await w.removeLabel(n, 'workload-ready');
    await w.addLabel(n, 'workload-ready');
    const [unlabeled, labeled] = w.newEvents() as [StandInEvent, StandInEvent];
    expect([unlabeled.action, labeled.action]).toEqual(['unlabeled', 'labeled']);
    // The later event's run is first; the earlier one arrives late.
    await expectNoChange(w, [labeled, unlabeled]);
    expect(stateOf(w, n)).toEqual(before);
  });

  it('a late edited payload (a notes edit made before the bot\'s last write) keeps both the edit and the write', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete']);
    await w.editBody(n, `${w.issue(n).body}\nCustomer asked for a call on Friday.\n`);
    const [edited] = w.newEvents() as [StandInEvent];
    await w.addLabel(n, 'account-team-notified');
    await w.deliver(); // the label's run writes discussion; the edit's run has not happened yet
    expect(stateOf(w, n).step).toBe('discussion');
    await expectNoChange(w, [edited]);
    expect(w.issue(n).body).toContain('Customer asked for a call on Friday.');
    expect(stateOf(w, n).step).toBe('discussion');
  });

  it('a late edited payload (a hand edit already reverted) does not undo the bot\'s later writes', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete']);
    await w.editBody(n, w.issue(n).body.replace('step: preparation', 'step: offboarding'));
    const [edited] = w.newEvents() as [StandInEvent];
    await w.runInProcess(edited);
    expect(stateOf(w, n).step).toBe('preparation');
    await w.addLabel(n, 'account-team-notified');
    await w.deliver();
    expect(stateOf(w, n).step).toBe('discussion');
    await expectNoChange(w, [edited], 3);
    expect(stateOf(w, n).step).toBe('discussion');
  });
});

describe.concurrent('coalesced events', () => {
  it('several step labels with one event: each step in order in history, one comment listing the passed steps', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU);
    for (const label of TO_OFFBOARDING) await w.addLabel(n, label);
    const { last, dropped } = onlyTheLast(w);
    expect(dropped).toHaveLength(3);
    const report = await w.runInProcess(last);
    expect(report.step).toBe('offboarding');

    const state = stateOf(w, n);
    expect(state.history.map((h) => [h.from, h.to, h.via])).toEqual([
      [null, 'awaiting-migration', 'opened'],
      ['awaiting-migration', 'preparation', 'label:migration-complete'],
      ['preparation', 'discussion', 'label:account-team-notified'],
      ['discussion', 'follow-up', 'label:workload-ready'],
      ['follow-up', 'offboarding', 'label:follow-up-sent'],
    ]);
    expect(new Set(state.history.slice(1).map((h) => h.at)).size).toBe(1);
    expect(state).toMatchObject({ step: 'offboarding', workload_ready: true, task_4060: 'pending' });
    expect(botPostKinds(w, n)).toEqual(['step', 'step']); // the welcome, then one comment for the whole move
    expect(botComments(w, n)[1]).toContain('Passed through: `preparation`, `discussion`, `follow-up`');
    expect(w.gh.issues(w.repo).filter((i) => i.labels.includes('queue-transfer'))).toHaveLength(1);

    // The dropped runs, delivered after all: nothing more.
    await expectNoChange(w, dropped);
  });

  it('without an account team, with task 4060 in the same burst: offboarding with the task recorded', async (test) => {
    const w = await world(test);
    const n = await walk(w, NO_ATU);
    for (const label of ['migration-complete', 'workload-not-ready', 'follow-up-sent', 'task-4060-done']) await w.addLabel(n, label);
    const { last, dropped } = onlyTheLast(w);
    await w.runInProcess(last);
    const state = stateOf(w, n);
    expect(state).toMatchObject({ step: 'offboarding', workload_ready: false, task_4060: 'done' });
    expect(state.history.slice(1).map((h) => h.to)).toEqual(['discussion', 'follow-up', 'offboarding']);
    expect(botComments(w, n).at(-1)).toContain('Passed through: `discussion`, `follow-up`');
    expect(w.issue(n).state).toBe('open'); // the queue move is still to be confirmed
    await expectNoChange(w, dropped);
  });

  it('several removals with one event: back to the step before the earliest removed label, once', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, TO_OFFBOARDING);
    const request = transferOf(w, n);
    await w.removeLabel(n, 'follow-up-sent');
    await w.removeLabel(n, 'account-team-notified');
    const { last, dropped } = onlyTheLast(w);
    await w.runInProcess(last);
    const state = stateOf(w, n);
    expect(state.step).toBe('preparation');
    expect(state.history.at(-1)).toMatchObject({ from: 'offboarding', to: 'preparation', via: 'unlabeled:account-team-notified' });
    expect(w.issue(n).labels.sort()).toEqual(['engagement', 'migration-complete']);
    expect(w.issue(request)).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
    await expectNoChange(w, dropped);
  });
});

describe.concurrent('replays', () => {
  it('any event, replayed any number of times, at any point of a story: no new comment, issue or change', async (test) => {
    const w = await world(test);
    const log: StandInEvent[] = [];
    const step = async (act: () => Promise<void>) => {
      await act();
      const fresh = await deliverKeeping(w, log);
      expect(fresh.length).toBeGreaterThan(0);
      await expectNoChange(w, fresh, 3);
    };
    const n = await w.openEngagement(ATU);
    await step(async () => undefined);
    await step(() => w.addLabel(n, 'workload-ready')); // out of order: removed with a comment
    await step(() => w.addLabel(n, 'migration-complete'));
    await step(() => w.editBody(n, w.issue(n).body.replace('step: preparation', 'step: follow-up'))); // hand edit
    await step(() => w.addLabel(n, 'account-team-notified'));
    await step(() => w.unassign(n, FM));
    await step(() => w.addLabel(n, 'workload-not-ready'));
    await step(() => w.addLabel(n, 'follow-up-sent'));
    const request = transferOf(w, n);
    await step(() => w.removeLabel(n, 'follow-up-sent')); // undo: the request is closed as not planned
    await step(() => w.addLabel(n, 'follow-up-sent')); // and reopened
    await step(() => w.comment(request, '/queue-moved', OUTSIDER)); // refused
    await step(() => w.comment(request, '/queue-moved', ASSIGNER));
    await step(() => w.addLabel(n, 'task-4060-done'));
    expect(w.issue(n).state).toBe('closed');
    await step(() => w.reopen(n)); // a person reopens the completed engagement: told once
    expect(log.length).toBeGreaterThan(15);

    // Everything again, newest first, twice.
    await expectNoChange(w, [...log].reverse(), 2);
    expect(w.gh.issues(w.repo)).toHaveLength(2);
  });
});

describe.concurrent('out-of-order labels and undo', () => {
  it('a label whose predecessors are missing is removed with a comment naming the next label; nothing else changes', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU);
    const body = w.issue(n).body;
    await w.addLabel(n, 'follow-up-sent');
    await w.deliver();
    expect(w.issue(n).body).toBe(body);
    expect(w.issue(n).labels).toEqual(['engagement']);
    expect(w.issue(n).assignees).toEqual([FM]);
    const said = botComments(w, n);
    expect(said).toHaveLength(2);
    expect(said[1]).toContain('I removed `follow-up-sent`');
    expect(said[1]).toContain('the next label expected is `migration-complete`');
  });

  it('out of order further on: task 4060 during the discussion', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete', 'account-team-notified']);
    const body = w.issue(n).body;
    await w.addLabel(n, 'task-4060-done');
    await w.deliver();
    expect(w.issue(n).body).toBe(body);
    expect(w.issue(n).labels).not.toContain('task-4060-done');
    expect(botComments(w, n).at(-1)).toContain('the next label expected is `workload-ready` or `workload-not-ready`');
  });

  it('removing a step label moves back to the step before it and removes the later labels', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete', 'account-team-notified', 'workload-ready']);
    await w.removeLabel(n, 'account-team-notified');
    await w.deliver();
    const state = stateOf(w, n);
    expect(state).toMatchObject({ step: 'preparation', workload_ready: null });
    expect(state.history.at(-1)).toMatchObject({ from: 'follow-up', to: 'preparation', via: 'unlabeled:account-team-notified' });
    expect(w.issue(n).labels.sort()).toEqual(['engagement', 'migration-complete']);
    const undone = botComments(w, n).at(-1) ?? '';
    expect(undone).toContain('`account-team-notified` was removed');
    expect(undone).toContain('I removed the labels of the later steps: `workload-ready`');
  });

  it('undo twice: after going back to the discussion, removing account-team-notified goes back to preparation', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete', 'account-team-notified', 'workload-ready']);
    await w.removeLabel(n, 'workload-ready');
    await w.deliver();
    expect(stateOf(w, n).step).toBe('discussion');
    await w.removeLabel(n, 'account-team-notified');
    await w.deliver();
    expect(stateOf(w, n)).toMatchObject({ step: 'preparation' });
    expect(stateOf(w, n).history.at(-1)).toMatchObject({ from: 'discussion', to: 'preparation', via: 'unlabeled:account-team-notified' });
    // And forward again: the ATU e-mail step is still part of this engagement's path.
    await w.addLabel(n, 'account-team-notified');
    await w.deliver();
    expect(stateOf(w, n).step).toBe('discussion');
  });

  it('undoing offboarding closes the open transfer request as not planned with a note to the team; redoing reopens the same one', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, [...TO_OFFBOARDING, 'task-4060-done']);
    const request = transferOf(w, n);
    expect(w.issue(request).state).toBe('open');
    await w.removeLabel(n, 'follow-up-sent');
    await w.deliver();
    expect(stateOf(w, n)).toMatchObject({ step: 'follow-up', task_4060: 'pending', next_action_date: null });
    expect(w.issue(n).labels).not.toContain('task-4060-done');
    expect(w.issue(request)).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
    const note = w.issue(request).comments.at(-1);
    expect(note?.author).toBe(BOT);
    expect(note?.body).toContain('@contoso-ft/assignment');
    expect(note?.body).toContain('closing it as not planned');
    expect(botComments(w, n).at(-1)).toContain(`The transfer request #${request} is closed as not planned`);

    await w.addLabel(n, 'follow-up-sent');
    await w.deliver();
    expect(stateOf(w, n).step).toBe('offboarding');
    expect(w.issue(request).state).toBe('open');
    expect(w.gh.issues(w.repo)).toHaveLength(2); // no second request
  });

  it('removing migration-complete at offboarding goes back to the start, removes every later label, cancels the request', async (test) => {
    const w = await world(test);
    const n = await walk(w, NO_ATU, ['migration-complete', 'workload-ready', 'follow-up-sent']);
    const request = transferOf(w, n);
    await w.removeLabel(n, 'migration-complete');
    await w.deliver();
    expect(stateOf(w, n)).toMatchObject({ step: 'awaiting-migration', workload_ready: null, transfer: { confirmed_by: null } });
    expect(w.issue(n).labels).toEqual(['engagement']);
    expect(w.issue(request)).toMatchObject({ state: 'closed', stateReason: 'not_planned' });
  });

  it('a queue move confirmed before offboarding was undone does not count when offboarding starts again', async (test) => {
    const w = await world(test);
    const n = await walk(w, NO_ATU, ['migration-complete', 'workload-ready', 'follow-up-sent']);
    const request = transferOf(w, n);
    await w.comment(request, '/queue-moved', ASSIGNER);
    await w.deliver();
    expect(stateOf(w, n).transfer?.confirmed_by).toBe(ASSIGNER);
    // Later runs happen seconds after the confirmation (GitHub gives comment times to the second).
    const later = async (seconds: number) => {
      for (const e of w.newEvents()) await w.runInProcess(e, {}, () => new Date(Date.now() + seconds * 1000));
    };
    await w.removeLabel(n, 'follow-up-sent');
    await later(2);
    await w.addLabel(n, 'follow-up-sent');
    await later(4);
    await w.addLabel(n, 'task-4060-done');
    await later(6);
    expect(stateOf(w, n)).toMatchObject({ step: 'offboarding', task_4060: 'done', transfer: { confirmed_by: null } });
    expect(w.issue(n).state).toBe('open');
    expect(w.issue(request).state).toBe('open');
  });

  it('a queue move confirmed before offboarding was undone is void: the FM is kept assigned again', async (test) => {
    const w = await world(test);
    const n = await walk(w, NO_ATU, ['migration-complete', 'workload-ready', 'follow-up-sent']);
    await w.comment(transferOf(w, n), '/queue-moved', ASSIGNER);
    await w.deliver();
    await w.removeLabel(n, 'follow-up-sent');
    await w.deliver();
    expect(stateOf(w, n).step).toBe('follow-up');
    // The request was cancelled: the confirmation of it no longer stands.
    expect(stateOf(w, n).transfer?.confirmed_by ?? null).toBeNull();
    await w.unassign(n, FM);
    await w.deliver();
    expect(w.issue(n).assignees).toEqual([FM]);
  });

  it('after completion, removing a label changes nothing', async (test) => {
    const w = await world(test);
    const n = await walk(w, NO_ATU, ['migration-complete', 'workload-ready', 'follow-up-sent', 'task-4060-done']);
    await w.comment(transferOf(w, n), '/queue-moved', ASSIGNER);
    await w.deliver();
    expect(w.issue(n).state).toBe('closed');
    await w.removeLabel(n, 'follow-up-sent');
    const events = w.newEvents();
    await expectNoChange(w, events);
    expect(stateOf(w, n).step).toBe('completed');
  });
});

describe.concurrent('hand edits of bot-owned keys', () => {
  it('are reverted with one comment, keeping the FM\'s other edits', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete', 'account-team-notified']);
    const recorded = stateOf(w, n);
    const hand = w.issue(n).body.replace('step: discussion', 'step: completed').replace('task_4060: pending', 'task_4060: done').replace('customer: Contoso Ltd', 'customer: Contoso Group');
    await w.editBody(n, hand);
    const events = w.newEvents();
    for (const e of events) await w.runInProcess(e);
    expect(stateOf(w, n)).toEqual(recorded);
    expect(w.issue(n).body).toContain('customer: Contoso Group');
    const said = botComments(w, n);
    expect(said.filter((b) => b.includes('kept by engagement-bot'))).toHaveLength(1);
    expect(said.at(-1)).toContain('`step`, `task_4060`');
    expect(said.at(-1)).toContain('@fm-alice');
    await expectNoChange(w, events, 2);
    // The engagement goes on as before.
    await w.addLabel(n, 'workload-ready');
    await w.deliver();
    expect(stateOf(w, n).step).toBe('follow-up');
  });

  it('deleting the whole bot block brings it back, history included', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete']);
    const recorded = stateOf(w, n);
    const body = w.issue(n).body;
    const stripped = body.replace(/^step: .*# kept by engagement-bot[\s\S]*?(?=^---$)/m, '');
    expect(stateIn(stripped)).toBeNull();
    await w.editBody(n, stripped);
    await w.deliver();
    expect(stateOf(w, n)).toEqual(recorded);
    expect(botComments(w, n).filter((b) => b.includes('kept by engagement-bot'))).toHaveLength(1);
  });

  it('an unreadable value (step: banana, history: 42) is rebuilt with one comment', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['migration-complete']);
    const recorded = stateOf(w, n);
    await w.editBody(n, w.issue(n).body.replace('step: preparation', 'step: banana').replace(/history:\n(?: {2}- .*\n)+/, 'history: 42\n'));
    await w.deliver();
    expect(stateOf(w, n)).toEqual(recorded);
    expect(botComments(w, n).filter((b) => b.includes('kept by engagement-bot'))).toHaveLength(1);
  });
  it('a hand edit raced by a label: the same end as when the edit\'s run comes first (no invented undo)', async (test) => {
    const story = async (w: TestWorld, order: (edited: StandInEvent, labeled: StandInEvent) => StandInEvent[]) => {
      const n = await walk(w, ATU, ['migration-complete']);
      await w.editBody(n, w.issue(n).body.replace('step: preparation', 'step: offboarding'));
      await w.addLabel(n, 'account-team-notified');
      const [edited, labeled] = w.newEvents() as [StandInEvent, StandInEvent];
      for (const e of order(edited, labeled)) await w.runInProcess(e);
      return { history: stateOf(w, n).history.map((h) => [h.from, h.to, h.via]), posts: botPostKinds(w, n), labels: w.issue(n).labels.sort() };
    };
    const inOrder = await story(await world(test), (edited, labeled) => [edited, labeled]);
    expect(inOrder.history.at(-1)).toEqual(['preparation', 'discussion', 'label:account-team-notified']);
    const raced = await story(await world(test), (edited, labeled) => [labeled, edited]);
    expect(raced).toEqual(inOrder);
  });
});

describe.concurrent("the FM's assignment", () => {
  it('is restored when removed at offboarding before the queue move is confirmed, quoting the rule once', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, TO_OFFBOARDING);
    await w.unassign(n, FM);
    const events = w.newEvents();
    for (const e of events) await w.runInProcess(e);
    expect(w.issue(n).assignees).toEqual([FM]);
    const quote = botComments(w, n).at(-1) ?? '';
    expect(quote).toContain('the FM keeps their assignment until the account has been assigned to one of the inactive queues');
    expect(quote).toContain('@fm-alice');
    await expectNoChange(w, events, 2);
    // Removed again in the same step: put back again, the rule is not quoted twice.
    await w.unassign(n, FM, ASSIGNER);
    await w.deliver();
    expect(w.issue(n).assignees).toEqual([FM]);
    expect(botComments(w, n).filter((b) => b.includes('the FM keeps their assignment until'))).toHaveLength(1);
  });

  it('is left alone once the queue move is confirmed', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, TO_OFFBOARDING);
    await w.comment(transferOf(w, n), '/queue-moved', ASSIGNER);
    await w.deliver();
    const said = botComments(w, n).length;
    await w.unassign(n, FM);
    await w.deliver();
    expect(w.issue(n).assignees).toEqual([]);
    expect(botComments(w, n)).toHaveLength(said);
  });
});

describe.concurrent('own events', () => {
  it('every event the bot\'s own writes caused is ignored, with no write', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, ['follow-up-sent', 'migration-complete', 'account-team-notified']);
    await w.unassign(n, FM);
    await w.deliver();
    const own = w.gh.events.filter((e) => e.actor === BOT && (e.name === 'issues' || e.name === 'issue_comment'));
    // The bot edited the body, commented, edited its live status, removed a label and assigned the FM.
    expect(new Set(own.map((e) => `${e.name}.${e.action}`))).toEqual(new Set(['issues.edited', 'issue_comment.created', 'issue_comment.edited', 'issues.unlabeled', 'issues.assigned']));
    const before = w.snapshot();
    w.gh.resetLog();
    for (const e of own) {
      const report = await w.runInProcess(e);
      expect(report.skipped, `${e.name}.${e.action}`).toMatch(e.action === 'edited' && e.name === 'issue_comment' ? /only new comments matter/ : /engagement-bot itself/);
    }
    expect(w.gh.writes()).toEqual([]);
    expect(w.snapshot()).toEqual(before);
  });

  it('a labeled event sent by the bot is not acted on', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU);
    await w.addLabel(n, 'migration-complete');
    const [labeled] = w.newEvents() as [StandInEvent];
    w.gh.resetLog();
    const report = await w.runInProcess(asBot(labeled));
    expect(report.skipped).toBe('an event caused by engagement-bot itself');
    expect(w.gh.writes()).toEqual([]);
    expect(stateOf(w, n).step).toBe('awaiting-migration');
  });

  it('a /queue-moved written by the bot itself confirms nothing', async (test) => {
    const w = await world(test);
    const n = await walk(w, ATU, [...TO_OFFBOARDING, 'task-4060-done']);
    const request = transferOf(w, n);
    w.gh.seedComment(w.repo, request, { author: BOT, body: '/queue-moved' });
    await w.comment(request, '/queue-moved', OUTSIDER); // someone's event makes the bot read the thread
    const events = w.newEvents();
    const own = asBot(events[0] as StandInEvent);
    own.payload.comment = { ...(own.payload.comment as object), body: '/queue-moved', user: { login: BOT, type: 'Bot' } };
    expect((await w.runInProcess(own)).skipped).toBe('an event caused by engagement-bot itself');
    for (const e of events) await w.runInProcess(e);
    expect(stateOf(w, n)).toMatchObject({ step: 'offboarding', transfer: { confirmed_by: null } });
    expect(w.issue(n).state).toBe('open');
  });
});

describe('the decision core with GitHub\'s comment times (whole seconds)', () => {
  const at = (s: number) => new Date(Date.parse('2026-11-25T12:00:00.000Z') + s * 1000).toISOString();
  const add = (o: Observation, label: string, when: string) => settle({ ...o, issue: { ...o.issue, labels: [...o.issue.labels, label] }, trigger: labelled('labeled', label) }, when).after;
  const remove = (o: Observation, label: string, when: string) => settle({ ...o, issue: { ...o.issue, labels: o.issue.labels.filter((l) => l !== label) }, trigger: labelled('unlabeled', label) }, when).after;

  it('a confirmation of a request cancelled by an undo does not count when offboarding starts again in the same second', () => {
    let o = settle(observation({ body: modelBody(NO_ATU_FIELDS) }), at(0)).after;
    o = add(o, 'migration-complete', at(1));
    o = add(o, 'workload-ready', at(2));
    o = add(o, 'follow-up-sent', at(3));
    // GitHub gives the comment's time to the second: 12:00:05Z; the bot answers it at 12:00:05.100.
    const command = humanComment('/queue-moved', MODEL_ASSIGNER, '2026-11-25T12:00:05Z');
    const request = o.transferRequest as NonNullable<Observation['transferRequest']>;
    o = settle({ ...o, transferRequest: { ...request, comments: [...(request.comments ?? []), command] }, confirmations: [attempt(command)] }, at(5.1)).after;
    expect(stateIn(o.issue.body)?.transfer?.confirmed_by).toBe(MODEL_ASSIGNER);
    o = remove(o, 'follow-up-sent', at(5.3)); // the request is cancelled
    o = add(o, 'follow-up-sent', at(5.6)); // and asked for again
    expect(stateIn(o.issue.body)?.transfer).toMatchObject({ requested_at: at(5.6), confirmed_by: null });
    o = add(o, 'task-4060-done', at(7));
    expect(stateIn(o.issue.body)).toMatchObject({ step: 'offboarding', task_4060: 'done' });
    expect(o.issue.state).toBe('open');
  });
});
