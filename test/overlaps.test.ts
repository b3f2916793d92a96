// Overlapping runs: the scan, a `/queue-moved` on the transfer request and an engagement's own run
// sit in different concurrency groups and can overlap. For each pair, run A is held before its
// k-th write, for every k in turn, while run B goes to the end; then A is released, and one more
// scan and one more event settle. The end state must be the one the labels and confirmations
// say, every message must be there once, every move once in the history, and nothing either run
// wrote may be lost.
import { afterAll, describe, expect, it } from 'vitest';
import { markersIn } from '../src/process/markers.js';
import type { StandInEvent } from './support/github-standin/index.js';
import { ASSIGNER, BOT, FM, TestWorld, WITH_ACCOUNT_TEAM, frontMatter } from './support/harness.js';
import { stateOf } from './support/scenarios.js';

const DAY = 86_400_000;
let interleavings = 0;
afterAll(() => console.log(`overlaps: ${interleavings} interleavings of two runs tried, each ended in the state its labels and confirmations say`));

interface Engagement {
  n: number;
  /** The transfer request, once there is one. */
  request: number | null;
  /** An event a person's action caused that has not run yet (late). */
  pending?: StandInEvent;
}

interface Pair {
  name: string;
  /** The world just before A starts; returns the engagement. */
  prepare(w: TestWorld): Promise<Engagement>;
  /** What A is: the event of a person's action (taken here), or null for a scan. */
  startA(w: TestWorld, e: Engagement): Promise<StandInEvent | null>;
  /** B, to the end: a person's action and the runs it starts, or a scan. */
  runB(w: TestWorld, e: Engagement): Promise<void>;
  /** What the labels and confirmations say the engagement ends as. */
  expected: { step: string; stalled: boolean; closed: boolean; confirmed: boolean };
  /** The moves (from → to) the history must record, each once. */
  moves: string[];
  /** Whether some interleaving must have opened a second transfer request (so convergence is exercised). */
  opensTwice?: boolean;
}

const lastEvent = (w: TestWorld): StandInEvent => {
  const events = w.newEvents();
  const last = events.at(-1);
  if (!last) throw new Error('no event');
  return last;
};

/** An engagement in preparation for 20 days: the scan finds it stalled. */
async function stalledInPreparation(w: TestWorld): Promise<Engagement> {
  w.defineLabels();
  const n = w.seedEngagement(WITH_ACCOUNT_TEAM, { step: 'preparation', step_since: new Date(Date.now() - 20 * DAY).toISOString() }, ['migration-complete']);
  return { n, request: null };
}

/** An engagement walked to the handoff step by its events: the transfer request is open. */
async function atHandoff(w: TestWorld): Promise<Engagement> {
  w.defineLabels();
  const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
  await w.deliver();
  for (const label of ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent']) {
    await w.addLabel(n, label);
    await w.deliver();
  }
  return { n, request: w.issue(n).subIssues[0]?.number ?? null };
}

const WALKED = ['awaiting-migration → preparation', 'preparation → discussion', 'discussion → follow-up', 'follow-up → offboarding'];

/** At follow-up, the FM adds the label that opens the transfer request; its event is not delivered yet. */
async function openingPending(w: TestWorld): Promise<Engagement> {
  w.defineLabels();
  const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
  await w.deliver();
  for (const label of ['migration-complete', 'account-team-notified', 'workload-ready']) {
    await w.addLabel(n, label);
    await w.deliver();
  }
  return { n, request: null };
}

/** At the handoff step, the assignment team confirms on the request; the event is not delivered yet (or was dropped). */
async function confirmationPending(w: TestWorld): Promise<Engagement> {
  const e = await atHandoff(w);
  await w.comment(e.request as number, '/queue-moved', ASSIGNER);
  return e;
}

type Act = (w: TestWorld, e: Engagement) => Promise<unknown>;
// People's actions, and the two ways a pair uses one: as A (its event, run held) or as B (run to the end).
const addAtn: Act = (w, e) => w.addLabel(e.n, 'account-team-notified');
const confirm: Act = (w, e) => w.comment(e.request as number, '/queue-moved', ASSIGNER);
const markTask: Act = (w, e) => w.addLabel(e.n, 'task-4060-done');
const unassignFm: Act = (w, e) => w.unassign(e.n, FM);
const asA = (act: Act) => async (w: TestWorld, e: Engagement) => {
  await act(w, e);
  return lastEvent(w);
};
const asB = (act: Act) => async (w: TestWorld, e: Engagement) => {
  await act(w, e);
  await w.deliver();
};
const scanA = async () => null;
/** The event of the action `prepare` took and did not deliver. */
const pendingA = async (w: TestWorld) => lastEvent(w);
/** A scan, held, that finds the action `prepare` took without its event run; `act` is taken first. */
const scanWithEventLate = (act?: Act) => async (w: TestWorld, e: Engagement) => {
  if (act) await act(w, e);
  e.pending = lastEvent(w);
  return null;
};
/** That late event, run to the end. */
const lateEventB = async (w: TestWorld, e: Engagement) => void (await w.runInProcess(e.pending as StandInEvent));
const addFollowUpSent: Act = (w, e) => w.addLabel(e.n, 'follow-up-sent');
const scanB = async (w: TestWorld) => void (await w.runScan());

const MOVED_ON = { step: 'discussion', stalled: false, closed: false, confirmed: false };
const AT_HANDOFF = { step: 'offboarding', stalled: false, closed: false, confirmed: false };
const CONFIRMED = { step: 'offboarding', stalled: false, closed: false, confirmed: true };
const COMPLETED = { step: 'completed', stalled: false, closed: true, confirmed: true };

const PAIRS: Pair[] = [
  { name: 'scan × FM label', prepare: stalledInPreparation, startA: scanA, runB: asB(addAtn), expected: MOVED_ON, moves: ['preparation → discussion'] },
  { name: 'FM label × scan', prepare: stalledInPreparation, startA: asA(addAtn), runB: scanB, expected: MOVED_ON, moves: ['preparation → discussion'] },
  { name: '/queue-moved on the request × task-4060-done', prepare: atHandoff, startA: asA(confirm), runB: asB(markTask), expected: COMPLETED, moves: [...WALKED, 'offboarding → completed'] },
  { name: 'task-4060-done × /queue-moved on the request', prepare: atHandoff, startA: asA(markTask), runB: asB(confirm), expected: COMPLETED, moves: [...WALKED, 'offboarding → completed'] },
  {
    name: '/queue-moved on the request × the FM unassigning themselves',
    prepare: atHandoff,
    startA: asA(confirm),
    runB: asB(unassignFm),
    expected: { step: 'offboarding', stalled: false, closed: false, confirmed: true },
    moves: WALKED,
  },
  // The scan repairing the drift while the label's own event runs: both can open a transfer request.
  { name: 'scan × the label that opens the transfer request', prepare: openingPending, startA: scanWithEventLate(addFollowUpSent), runB: lateEventB, expected: AT_HANDOFF, moves: WALKED, opensTwice: true },
  { name: 'the label that opens the transfer request × scan', prepare: openingPending, startA: asA(addFollowUpSent), runB: scanB, expected: AT_HANDOFF, moves: WALKED, opensTwice: true },
  // A /queue-moved whose event is late: the scan answers it, and so does the event.
  { name: 'scan × a late /queue-moved', prepare: confirmationPending, startA: scanWithEventLate(), runB: lateEventB, expected: CONFIRMED, moves: WALKED },
  { name: 'a late /queue-moved × scan', prepare: confirmationPending, startA: pendingA, runB: scanB, expected: CONFIRMED, moves: WALKED },
  { name: 'two scans', prepare: stalledInPreparation, startA: scanA, runB: scanB, expected: { step: 'preparation', stalled: true, closed: false, confirmed: false }, moves: [] },
];

/** The bot's messages on an issue by their key; the key of each, however many copies. */
function messageKeys(w: TestWorld, issue: number): string[] {
  return w.issue(issue).comments.filter((c) => c.author === BOT).map((c) => markersIn(c.body)[0] ?? '?');
}

function people(w: TestWorld, issue: number): string[] {
  return w.issue(issue).comments.filter((c) => c.author !== BOT).map((c) => `${c.author}: ${c.body}`);
}

/** One interleaving: A held before its k-th write while B runs to the end. */
async function interleave(pair: Pair, k: number): Promise<{ w: TestWorld; e: Engagement; aWrites: number }> {
  const w = await TestWorld.start();
  const e = await pair.prepare(w);
  const event = await pair.startA(w, e);
  const a = w.startHeld(event, k);
  await a.held;
  await pair.runB(w, e);
  a.release();
  await a.done;
  const aWrites = a.writes();
  e.request ??= w.issue(e.n).subIssues[0]?.number ?? null;
  // One more scan and one more event settle (the FM adds a note to the description).
  await w.runScan();
  await w.editBody(e.n, `${w.issue(e.n).body}\nNote from the FM.\n`);
  await w.deliver();
  return { w, e, aWrites };
}

function checkEnd(w: TestWorld, e: Engagement, pair: Pair, label: string): void {
  const issue = w.issue(e.n);
  const state = stateOf(w, e.n);
  // The end state is the one the labels and confirmations say.
  expect(state.step, label).toBe(pair.expected.step);
  expect(issue.labels.includes('stalled'), `${label}: stalled label`).toBe(pair.expected.stalled);
  expect(issue.state, `${label}: engagement open or closed`).toBe(pair.expected.closed ? 'closed' : 'open');
  expect(Boolean(state.transfer?.confirmed_by), `${label}: confirmation recorded`).toBe(pair.expected.confirmed);
  // Exactly one transfer request stays open: any other overlapping runs opened is closed as its duplicate.
  const requests = issue.subIssues.map((r) => w.issue(r.number));
  if (pair.expected.step === 'offboarding') {
    expect(requests.filter((r) => r.state === 'open').map((r) => r.number), `${label}: open transfer requests`).toEqual([e.request]);
    for (const d of requests.filter((r) => r.number !== e.request)) {
      expect(d.stateReason, `${label}: #${d.number} closed as a duplicate`).toBe('duplicate');
      expect(messageKeys(w, d.number), `${label}: the note on #${d.number}`).toEqual([`transfer-duplicate/${w.repo}#${e.request}`]);
    }
  }
  // Every message once, on the engagement and on the transfer request.
  for (const number of [e.n, ...(e.request ? [e.request] : [])]) {
    const keys = messageKeys(w, number);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i), `${label}: messages posted twice on #${number}`).toEqual([]);
  }
  // Each move once in the history.
  const moves = state.history.filter((h) => h.from !== null && h.from !== h.to).map((h) => `${h.from} → ${h.to}`);
  expect(moves, `${label}: moves in the history`).toEqual(pair.moves);
  // Nothing lost: the step's message, the confirmation's receipt, people's comments and labels.
  expect(messageKeys(w, e.n), `${label}: the message of the step`).toContain(`step/${pair.expected.step}/1`);
  if (pair.expected.confirmed) expect(messageKeys(w, e.request as number).filter((k) => k.startsWith('reply/')), `${label}: the receipt`).toHaveLength(1);
  if (e.request) expect(people(w, e.request).length, `${label}: the assignment team's comment`).toBeGreaterThanOrEqual(pair.expected.confirmed ? 1 : 0);
  if (pair.expected.step === 'discussion') expect(issue.labels, `${label}: the FM's label`).toContain('account-team-notified');
}

describe.each(PAIRS)('$name', (pair) => {
  it('ends as the labels and confirmations say, with every message once, for A held at each of its writes', async () => {
    // How many writes A makes when nothing overlaps it.
    const alone = await interleave({ ...pair, runB: async () => undefined }, Number.MAX_SAFE_INTEGER);
    const writes = alone.aWrites;
    await alone.w.close();
    expect(writes).toBeGreaterThan(0);
    const worlds = await Promise.all(Array.from({ length: writes }, (_, i) => interleave(pair, i + 1)));
    try {
      worlds.forEach(({ w, e }, i) => checkEnd(w, e, pair, `A held at write ${i + 1} of ${writes}`));
      interleavings += worlds.length;
      const twice = worlds.filter(({ w, e }) => w.issue(e.n).subIssues.length > 1).length;
      if (pair.opensTwice) expect(twice, 'interleavings in which both runs opened a transfer request').toBeGreaterThan(0);
    } finally {
      await Promise.all(worlds.map(({ w }) => w.close()));
    }
  });
});
