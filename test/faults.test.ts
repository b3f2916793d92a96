// Faults injected by the GitHub stand-in: transient failures are retried and the run succeeds;
// a run that dies at any of its write requests, or whose one mutation document GitHub applies only
// in part (any field refused, the ones before it applied, nothing rolled back), is completed by the
// next run of the same event, with exactly one comment per step and one transfer request.
import { afterAll, describe, expect, it } from 'vitest';
import type { FaultRule, StandInEvent } from './support/github-standin/index.js';
import { ASSIGNER, BOT, TestWorld, WITH_ACCOUNT_TEAM, frontMatter } from './support/harness.js';

let tried = 0;
afterAll(() => console.log(`faults: ${tried} injected faults tried, every run ended in the fault-free state`));

interface Scenario {
  name: string;
  /** Brings a fresh world to the moment before the event; returns the event. */
  prepare(w: TestWorld): Promise<StandInEvent>;
}

async function walk(w: TestWorld, labels: string[]): Promise<number> {
  w.defineLabels();
  const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
  await w.deliver();
  for (const label of labels) {
    await w.addLabel(n, label);
    await w.deliver();
  }
  return n;
}

const lastEvent = (w: TestWorld): StandInEvent => {
  const events = w.newEvents();
  return events.at(-1) as StandInEvent;
};

const SCENARIOS: Scenario[] = [
  {
    name: 'entering offboarding (opens the transfer request)',
    async prepare(w) {
      const n = await walk(w, ['migration-complete', 'account-team-notified', 'workload-ready']);
      await w.addLabel(n, 'follow-up-sent');
      return lastEvent(w);
    },
  },
  {
    name: 'completing on /queue-moved',
    async prepare(w) {
      const n = await walk(w, ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4060-done']);
      await w.comment(w.issue(n).subIssues[0]?.number as number, '/queue-moved', ASSIGNER);
      return lastEvent(w);
    },
  },
  {
    name: 'undoing offboarding (cancels the transfer request)',
    async prepare(w) {
      const n = await walk(w, ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4060-done']);
      await w.removeLabel(n, 'follow-up-sent');
      return lastEvent(w);
    },
  },
];

/** The bot's writes in a fault-free run of the scenario, and the state it ends in. */
async function reference(scenario: Scenario) {
  const w = await TestWorld.start();
  try {
    const event = await scenario.prepare(w);
    w.gh.resetLog();
    await w.runInProcess(event);
    const writes = w.gh.writes().filter((r) => r.actor === BOT);
    return { writes, state: w.snapshot() };
  } finally {
    await w.close();
  }
}

function ruleFor(writes: Awaited<ReturnType<typeof reference>>['writes'], k: number): Omit<FaultRule, 'kind'> {
  const target = writes[k] as (typeof writes)[number];
  const same = (r: typeof target) => r.method === target.method && r.path === target.path && r.graphql?.operation === target.graphql?.operation;
  return {
    method: target.method,
    path: target.path,
    ...(target.graphql ? { graphql: target.graphql.operation } : {}),
    actor: BOT,
    skip: writes.slice(0, k).filter(same).length,
  };
}

describe.each(SCENARIOS)('$name', (scenario) => {
  it('a run that dies at any write is completed by the next run of the same event', async () => {
    const ref = await reference(scenario);
    expect(ref.writes.length).toBeGreaterThanOrEqual(1);
    await Promise.all(
      ref.writes.map(async (_, k) => {
        const w = await TestWorld.start();
        try {
          const event = await scenario.prepare(w);
          // A persistent failure (not retried) on the k-th write only: the run dies there.
          w.gh.fault({ ...ruleFor(ref.writes, k), kind: 'status', status: 403, times: Infinity });
          await expect(w.runInProcess(event)).rejects.toThrow();
          tried++;
          w.gh.clearFaults();
          await w.runInProcess(event);
          expect(w.snapshot(), `died at write ${k + 1} of ${ref.writes.length}`).toEqual(ref.state);
        } finally {
          await w.close();
        }
      }),
    );
  });

  it('a plan GitHub refuses at any one of its fields is completed by the next run of the same event', async () => {
    const ref = await reference(scenario);
    const mutations = ref.writes.filter((r) => r.graphql?.operation === 'mutation');
    const plan = mutations.find((r) => r.graphql?.name === 'ApplyPlan');
    const fields = plan?.graphql?.keys?.length ?? 0;
    expect(fields).toBeGreaterThanOrEqual(2);
    const before = mutations.indexOf(plan as (typeof mutations)[number]);
    await Promise.all(
      Array.from({ length: fields }, async (_, k) => {
        const w = await TestWorld.start();
        try {
          const event = await scenario.prepare(w);
          // The k-th field of the plan's document fails as GitHub fails one: null data, an error with its path.
          w.gh.fault({ kind: 'graphql-error', graphql: 'mutation', actor: BOT, nth: k + 1, type: 'FORBIDDEN', message: 'Resource not accessible by integration', skip: k === 0 ? before : 0 });
          await expect(w.runInProcess(event)).rejects.toThrow(/1 of \d+ write\(s\) were not applied[\s\S]*FORBIDDEN[\s\S]*issues: write/);
          tried++;
          const partly = w.snapshot();
          expect(partly, `the fields before ${k + 1} stay applied, so the state is not the end state`).not.toEqual(ref.state);
          w.gh.clearFaults();
          await w.runInProcess(event);
          expect(w.snapshot(), `refused at field ${k + 1} of ${fields}`).toEqual(ref.state);
        } finally {
          await w.close();
        }
      }),
    );
  });

  it.each([
    ['500', { kind: 'status', status: 500 }],
    ['502', { kind: 'status', status: 502 }],
    ['connection reset', { kind: 'reset' }],
    ['secondary rate limit', { kind: 'secondary-rate-limit', retryAfter: 1 }],
  ] as const)('%s on every write is retried and the run succeeds', async (_name, fault) => {
    const ref = await reference(scenario);
    await Promise.all(
      ref.writes.map(async (_, k) => {
        const w = await TestWorld.start();
        try {
          const event = await scenario.prepare(w);
          w.gh.fault({ ...ruleFor(ref.writes, k), ...fault });
          await w.runInProcess(event);
          tried++;
          const faulted = w.gh.requests.filter((r) => r.actor === BOT && (r.status === 0 || r.status >= 500 || r.status === 403));
          expect(faulted).toHaveLength(1);
          expect(w.snapshot()).toEqual(ref.state);
        } finally {
          await w.close();
        }
      }),
    );
  });
});
